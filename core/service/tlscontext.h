#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <cstddef>
#include <memory>

namespace imprint {
class Clock;
}

namespace imprint::service {

// How a TlsContext keeps sessions for resumption (see tlssessioncache.h).
struct TlsSessionSettings {
    const Clock *clock = nullptr;    // judges lifetimes and certificate expiry; null: processClock()
    std::size_t capacity = 20000;    // sessions kept, about 1 KiB each; the oldest go first
    long lifetimeSeconds = 2 * 3600; // OpenSSL's default session lifetime for TLS
};

// The server side TLS configuration of the enrollment service, built once from PEM and
// shared by every connection (building an SSL_CTX per connection re-parses keys and
// certificates through the OpenSSL 3 provider machinery, which dominated handshake cost).
//
// * TLS 1.2 minimum, TLS 1.3 preferred; TLS 1.2 only with forward-secret AEAD suites;
//   no renegotiation, no compression.
// * A client certificate is requested and, when one is presented, must chain to one of the
//   client CA certificates (Go's VerifyClientCertIfGiven); those CAs are advertised as the
//   acceptable client CA names. A connection without a certificate is accepted.
// * Session resumption (TLS 1.2 session ids, TLS 1.3 stateful tickets) from a server-side
//   cache, so that a reconnecting device skips the full handshake; a resumed connection
//   still has its verified peer certificate. A session whose client certificate has
//   expired in the meantime is not resumed (full handshake instead).
//
// Immutable once built; replace it as a whole (HttpsServer::setTlsContext) to renew the
// server certificate.
class TlsContext {
public:
    // certificateChainPem: the server certificate first, then any intermediates/CA.
    // privateKeyPem: the server certificate's key, unencrypted (PKCS#8 or traditional).
    // clientCaPem: the CA certificate(s) that client certificates must chain to; empty
    // means no client certificate is requested.
    static Result<std::shared_ptr<TlsContext>> fromPem(const QByteArray &certificateChainPem,
                                                       const QByteArray &privateKeyPem,
                                                       const QByteArray &clientCaPem,
                                                       const TlsSessionSettings &sessions = {});
    static Result<std::shared_ptr<TlsContext>> fromFiles(const QString &certificateChainPath,
                                                         const QString &privateKeyPath,
                                                         const QString &clientCaPath);

    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    // The server (leaf) certificate, DER; its serial (lowercase hex, no leading zeros) and
    // NotAfter (UTC), e.g. for deciding when to renew it.
    QByteArray certificateDer() const;
    QString certificateSerial() const;
    QDateTime certificateNotAfter() const;

    // Internal to core/service (holds the asio::ssl::context); see tlscontext_p.h.
    struct Private;
    Private &d() const { return *m_d; }

private:
    TlsContext();
    std::unique_ptr<Private> m_d;
};

} // namespace imprint::service
