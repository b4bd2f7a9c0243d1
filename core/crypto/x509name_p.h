#pragma once

// Internal: reading X509_NAME entries (shared by csr.cpp and certificate.cpp).

#include <openssl/x509.h>

#include <QString>

namespace imprint::crypto::detail {

// The first entry of `nid` in `name` as UTF-8 text; empty when absent or unreadable.
QString nameEntry(const X509_NAME *name, int nid);

// RFC 2253 text of `name`.
QString nameText(const X509_NAME *name);

} // namespace imprint::crypto::detail
