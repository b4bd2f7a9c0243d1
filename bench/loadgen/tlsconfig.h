#pragma once

#include "common/result.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "options.h"

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace imprint::bench {

struct Target;

// Client-side TLS contexts, built once before the clock starts and shared by every
// connection that uses the same identity (building an SSL_CTX per connection would measure
// OpenSSL's provider lookups instead of the server).
//
// * the server must chain to one of `cas` (its own X509_STORE, so contexts do not contend on one
//   store's lock);
// * exactly the chosen protocol version (TLS 1.3 or 1.2);
// * no session cache and no tickets, so every handshake is full; with `resumable`,
//   tickets are accepted and the caller may resume them (SSL_get1_session/SSL_set_session);
// * with `key` and `certificate`, that identity is presented when the server asks.
Result<std::shared_ptr<boost::asio::ssl::context>> makeClientContext(const QList<crypto::Certificate> &cas, TlsVersion version,
                                                                      bool resumable = false,
                                                                      const crypto::PrivateKey *key = nullptr,
                                                                      const crypto::Certificate *certificate = nullptr);

// Per connection (SSL object): SNI for host names, and the server name or IP address the
// certificate must name (unless verifyHost is false).
Status prepareClientSsl(SSL *ssl, const Target &target, bool verifyHost);

// Per connection: present this identity instead of the context's (after a renewal).
Status useIdentity(SSL *ssl, const crypto::PrivateKey &key, const crypto::Certificate &certificate);

} // namespace imprint::bench
