#pragma once

// Private to core/service (OpenSSL types in the interface).

#include "common/clock.h"

#include <QtGlobal>

#include <openssl/ssl.h>

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imprint::service {

// The server's TLS sessions, for resumption by session id (TLS 1.2) and by stateful
// tickets (TLS 1.3, which then carry only the session id).
//
// Why not OpenSSL's stateless tickets: to build each ticket, OpenSSL 3.0 encodes the
// session, decodes it again and re-encodes it (construct_stateless_ticket), so every full
// handshake parsed the client certificate a second time through the 3.0 decoder machinery:
// 15 % of a handshake's CPU (docs/BENCHMARKS.md). Why not OpenSSL's internal cache: it
// belongs to one SSL_CTX, and a renewed server certificate means a new SSL_CTX; this one
// is shared by every TlsContext of a server, so devices keep resuming across the renewal.
//
// Sessions are kept encoded (i2d_SSL_SESSION, about 1 KiB with the client certificate)
// rather than as OpenSSL objects (about 11 KiB each once the certificate is parsed), and
// decoded when a device resumes: a resumption pays one certificate decode, a full
// handshake none.
//
// A session is not resumed once its client certificate has expired (as Go does with
// VerifyClientCertIfGiven), so a device has to present a valid certificate again in a full
// handshake, or after its lifetime. Both are judged by `clock`. At most `capacity`
// sessions are kept, the oldest dropped first. Thread-safe.
class TlsSessionCache {
public:
    TlsSessionCache(const Clock &clock, std::size_t capacity, long lifetimeSeconds);
    ~TlsSessionCache();
    TlsSessionCache(const TlsSessionCache &) = delete;
    TlsSessionCache &operator=(const TlsSessionCache &) = delete;

    // Makes `context` store and look up its sessions here. The cache must outlive it.
    void attach(SSL_CTX *context);

private:
    struct Entry {
        std::string der;       // i2d_SSL_SESSION
        qint64 resumableUntil; // by the clock, seconds since the epoch: end of lifetime or of the client certificate
        std::list<std::string>::iterator age;
    };

    static int onNewSession(SSL *ssl, SSL_SESSION *session);
    static SSL_SESSION *onGetSession(SSL *ssl, const unsigned char *id, int length, int *copy);
    static TlsSessionCache *of(SSL *ssl);

    bool store(SSL_SESSION *session);
    SSL_SESSION *find(const std::string &id);
    void erase(std::unordered_map<std::string, Entry>::iterator it);

    const Clock &m_clock;
    const std::size_t m_capacity;
    const long m_lifetime;
    std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_sessions;
    std::list<std::string> m_oldestFirst;
};

} // namespace imprint::service
