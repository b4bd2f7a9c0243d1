#include "service/tlssessioncache.h"

#include <openssl/x509.h>

#include <algorithm>
#include <ctime>

namespace imprint::service {

namespace {

// The SSL_CTX ex_data slot that points the callbacks at their cache.
int contextSlot()
{
    static const int slot = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return slot;
}

std::string key(const unsigned char *id, unsigned int length)
{
    return std::string(reinterpret_cast<const char *>(id), length);
}

} // namespace

TlsSessionCache::TlsSessionCache(const Clock &clock, std::size_t capacity, long lifetimeSeconds)
    : m_clock(clock), m_capacity(capacity), m_lifetime(lifetimeSeconds)
{
}

TlsSessionCache::~TlsSessionCache() = default;

void TlsSessionCache::attach(SSL_CTX *context)
{
    SSL_CTX_set_ex_data(context, contextSlot(), this);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_set_timeout(context, m_lifetime);
    SSL_CTX_sess_set_new_cb(context, &TlsSessionCache::onNewSession);
    SSL_CTX_sess_set_get_cb(context, &TlsSessionCache::onGetSession);
}

TlsSessionCache *TlsSessionCache::of(SSL *ssl)
{
    return static_cast<TlsSessionCache *>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), contextSlot()));
}

int TlsSessionCache::onNewSession(SSL *ssl, SSL_SESSION *session)
{
    if (TlsSessionCache *cache = of(ssl))
        cache->store(session);
    // 0: the cache keeps a copy, not the reference OpenSSL handed over.
    return 0;
}

SSL_SESSION *TlsSessionCache::onGetSession(SSL *ssl, const unsigned char *id, int length, int *copy)
{
    // A freshly decoded session: OpenSSL owns the one reference.
    *copy = 0;
    TlsSessionCache *cache = of(ssl);
    if (!cache || length <= 0)
        return nullptr;
    return cache->find(key(id, unsigned(length)));
}

bool TlsSessionCache::store(SSL_SESSION *session)
{
    unsigned int length = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &length);
    if (length == 0)
        return false;
    qint64 until = m_clock.now().toSecsSinceEpoch() + m_lifetime;
    if (X509 *peer = SSL_SESSION_get0_peer(session)) {
        // The certificate was valid when the session began; only its end can pass.
        struct tm end {};
        if (ASN1_TIME_to_tm(X509_get0_notAfter(peer), &end) != 1)
            return false;
        until = std::min(until, qint64(timegm(&end)));
    }
    const int size = i2d_SSL_SESSION(session, nullptr);
    if (size <= 0)
        return false;
    std::string der(std::size_t(size), '\0');
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (i2d_SSL_SESSION(session, &out) != size)
        return false;

    std::string sessionId = key(id, length);
    std::lock_guard lock(m_mutex);
    if (auto existing = m_sessions.find(sessionId); existing != m_sessions.end())
        erase(existing);
    while (!m_oldestFirst.empty() && m_sessions.size() >= m_capacity)
        erase(m_sessions.find(m_oldestFirst.front()));
    m_oldestFirst.push_back(sessionId);
    m_sessions.emplace(std::move(sessionId), Entry{std::move(der), until, std::prev(m_oldestFirst.end())});
    return true;
}

SSL_SESSION *TlsSessionCache::find(const std::string &id)
{
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    std::string der;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_sessions.find(id);
        if (it == m_sessions.end())
            return nullptr;
        if (now >= it->second.resumableUntil) {
            erase(it);
            return nullptr;
        }
        der = it->second.der;
    }
    const auto *in = reinterpret_cast<const unsigned char *>(der.data());
    return d2i_SSL_SESSION(nullptr, &in, long(der.size()));
}

void TlsSessionCache::erase(std::unordered_map<std::string, Entry>::iterator it)
{
    m_oldestFirst.erase(it->second.age);
    m_sessions.erase(it);
}

} // namespace imprint::service
