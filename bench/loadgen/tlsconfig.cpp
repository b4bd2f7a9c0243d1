#include "tlsconfig.h"

#include "crypto/handles.h"
#include "target.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace imprint::bench {

Result<std::shared_ptr<boost::asio::ssl::context>> makeClientContext(const QList<crypto::Certificate> &cas, TlsVersion version,
                                                                      bool resumable, const crypto::PrivateKey *key,
                                                                      const crypto::Certificate *certificate)
{
    using R = Result<std::shared_ptr<boost::asio::ssl::context>>;
    SSL_CTX *raw = SSL_CTX_new(TLS_client_method());
    if (!raw)
        return R::failure(crypto::withOpensslError(QStringLiteral("cannot create a TLS context")));
    // asio::ssl::context takes ownership of the handle (SSL_CTX_free in its destructor).
    auto context = std::make_shared<boost::asio::ssl::context>(raw);

    const int protocol = version == TlsVersion::Tls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    if (SSL_CTX_set_min_proto_version(raw, protocol) != 1 || SSL_CTX_set_max_proto_version(raw, protocol) != 1)
        return R::failure(crypto::withOpensslError(QStringLiteral("cannot restrict the TLS version")));
    // Sessions are never offered unless set on a connection explicitly, so a full handshake
    // does not depend on this; turning tickets off as well keeps TLS 1.2 from asking for one.
    SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    if (!resumable)
        SSL_CTX_set_options(raw, SSL_OP_NO_TICKET);

    X509_STORE *store = X509_STORE_new();
    bool added = store != nullptr;
    for (const auto &ca : cas)
        added = added && X509_STORE_add_cert(store, ca.get()) == 1;
    if (!added) {
        X509_STORE_free(store);
        return R::failure(crypto::withOpensslError(QStringLiteral("cannot load the CA certificates into a trust store")));
    }
    SSL_CTX_set_cert_store(raw, store); // owned by the context from here
    SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);

    if (key && certificate) {
        if (SSL_CTX_use_certificate(raw, certificate->get()) != 1 || SSL_CTX_use_PrivateKey(raw, key->get()) != 1
            || SSL_CTX_check_private_key(raw) != 1)
            return R::failure(crypto::withOpensslError(QStringLiteral("cannot use the device key and certificate")));
    }
    return context;
}

Status prepareClientSsl(SSL *ssl, const Target &target, bool verifyHost)
{
    if (!target.hostIsAddress && SSL_set_tlsext_host_name(ssl, target.host.c_str()) != 1)
        return Status::failure(crypto::withOpensslError(QStringLiteral("cannot set the server name")));
    if (!verifyHost)
        return Status::success();
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    const int ok = target.hostIsAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str())
                                        : X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), 0);
    if (ok != 1)
        return Status::failure(crypto::withOpensslError(QStringLiteral("cannot set the expected server name")));
    return Status::success();
}

Status useIdentity(SSL *ssl, const crypto::PrivateKey &key, const crypto::Certificate &certificate)
{
    if (SSL_use_certificate(ssl, certificate.get()) != 1 || SSL_use_PrivateKey(ssl, key.get()) != 1)
        return Status::failure(crypto::withOpensslError(QStringLiteral("cannot use the renewed key and certificate")));
    return Status::success();
}

} // namespace imprint::bench
