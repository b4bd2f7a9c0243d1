#pragma once

// Internal helpers of the crypto unit; not for use outside core/crypto.

#include "common/result.h"
#include "crypto/handles.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace imprint::crypto::detail {

// Upper bound for one PEM/DER object (key, CSR, certificate) accepted from outside.
inline constexpr qsizetype kMaxObjectBytes = 64 * 1024;

// Keeps OpenSSL errors raised inside a scope from leaking to later, unrelated callers:
// whatever the scope left on this thread's error queue is discarded at its end.
class ErrorQueueScope {
public:
    ErrorQueueScope();
    ~ErrorQueueScope();
    ErrorQueueScope(const ErrorQueueScope &) = delete;
    ErrorQueueScope &operator=(const ErrorQueueScope &) = delete;
};

// A read-only memory BIO over `data` (not copied; `data` must outlive it). Null for
// empty or oversized (> INT_MAX) input.
BioPtr readOnlyBio(QByteArrayView data);

// Everything written to a memory BIO.
QByteArray bioContents(BIO *bio);

// Overwrites `bytes` with zeros (for copies of secret material).
void wipe(QByteArray &bytes);

struct PemBlock {
    QByteArray name;    // e.g. "CERTIFICATE"
    QByteArray headers; // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED" ...), usually empty
    QByteArray der;
};

// Calls `visit` for each PEM block of `pem` in order until it returns false. Text outside
// blocks is ignored. Fails when a block is malformed (bad base64, missing END line).
// `what` names the expected object in messages ("certificate", "private key").
Status forEachPemBlock(QByteArrayView pem, const QString &what, const std::function<bool(PemBlock &)> &visit);

// Common input checks: non-empty, at most `maxBytes`. `what` as above.
Status checkInputSize(QByteArrayView data, qsizetype maxBytes, const QString &what);

} // namespace imprint::crypto::detail
