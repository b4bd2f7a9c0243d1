#include "service/tlscontext.h"

#include "common/atomicfile.h"
#include "common/clock.h"
#include "common/logging.h"
#include "crypto/handles.h"
#include "service/tlscontext_p.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <vector>

namespace imprint::service {

namespace {

using crypto::BigNumPtr;
using crypto::BioPtr;
using crypto::PKeyPtr;
using crypto::X509Ptr;
using crypto::withOpensslError;

struct OpensslStringDeleter {
    void operator()(char *p) const { OPENSSL_free(p); }
};

// PEM files are small; anything larger is not a certificate or key we want to parse.
constexpr qint64 kMaxPemBytes = 1024 * 1024;

// TLS 1.2 suites: ECDHE (forward secrecy) with AEAD only, ECDSA first (the Imprint keys are
// P-256). TLS 1.3 keeps OpenSSL's default suites, which are all AEAD.
constexpr const char *kTls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char *kGroups = "X25519:P-256:P-384";
constexpr unsigned char kSessionIdContext[] = "imprint";

// Never prompt on the terminal for a passphrase: an encrypted key is refused instead.
int noPassword(char *, int, int, void *)
{
    return 0;
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

Result<std::vector<X509Ptr>> parseCertificates(const QByteArray &pem, const QString &what)
{
    if (pem.size() > kMaxPemBytes)
        return Result<std::vector<X509Ptr>>::failure(QStringLiteral("%1 is larger than 1 MiB").arg(what));
    ERR_clear_error();
    BioPtr bio = memoryBio(pem);
    std::vector<X509Ptr> certificates;
    while (X509 *certificate = PEM_read_bio_X509(bio.get(), nullptr, noPassword, nullptr))
        certificates.emplace_back(certificate);
    // The loop ends with "no start line" at the end of the data; anything else is damage.
    const unsigned long last = ERR_peek_last_error();
    if (last != 0 && !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE))
        return Result<std::vector<X509Ptr>>::failure(withOpensslError(QStringLiteral("%1 is not valid PEM").arg(what)));
    ERR_clear_error();
    if (certificates.empty())
        return Result<std::vector<X509Ptr>>::failure(
            QStringLiteral("%1 contains no certificate (expected -----BEGIN CERTIFICATE-----)").arg(what));
    return certificates;
}

QByteArray toDer(X509 *certificate)
{
    const int length = i2d_X509(certificate, nullptr);
    if (length <= 0)
        return {};
    QByteArray der(length, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &out);
    return der;
}

QString serialHex(X509 *certificate)
{
    BigNumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr));
    if (!bn)
        return {};
    std::unique_ptr<char, OpensslStringDeleter> hex(BN_bn2hex(bn.get()));
    if (!hex)
        return {};
    QString text = QString::fromLatin1(hex.get()).toLower();
    while (text.size() > 1 && text.startsWith(QLatin1Char('0')))
        text.remove(0, 1);
    return text;
}

QDateTime notAfter(X509 *certificate)
{
    struct tm tm {};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &tm) != 1)
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), QTime(tm.tm_hour, tm.tm_min, tm.tm_sec),
                     Qt::UTC);
}

} // namespace

TlsContext::TlsContext() : m_d(std::make_unique<Private>()) {}

TlsContext::~TlsContext() = default;

QByteArray TlsContext::certificateDer() const
{
    return m_d->leafDer;
}

QString TlsContext::certificateSerial() const
{
    return m_d->serial;
}

QDateTime TlsContext::certificateNotAfter() const
{
    return m_d->notAfter;
}

Result<std::shared_ptr<TlsContext>> TlsContext::fromPem(const QByteArray &certificateChainPem,
                                                        const QByteArray &privateKeyPem,
                                                        const QByteArray &clientCaPem,
                                                        const TlsSessionSettings &sessions)
{
    using R = Result<std::shared_ptr<TlsContext>>;
    auto chain = parseCertificates(certificateChainPem, QStringLiteral("server certificate"));
    if (!chain)
        return R(chain.error());

    if (privateKeyPem.size() > kMaxPemBytes)
        return R::failure(QStringLiteral("server private key is larger than 1 MiB"));
    ERR_clear_error();
    PKeyPtr key;
    {
        BioPtr bio = memoryBio(privateKeyPem);
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
    }
    if (!key)
        return R::failure(withOpensslError(
            QStringLiteral("server private key is not an unencrypted PEM private key")));

    std::vector<X509Ptr> clientCas;
    if (!clientCaPem.trimmed().isEmpty()) {
        auto parsed = parseCertificates(clientCaPem, QStringLiteral("client CA certificate"));
        if (!parsed)
            return R(parsed.error());
        clientCas = std::move(parsed.value());
    }

    std::shared_ptr<TlsContext> context(new TlsContext);
    Private &d = *context->m_d;
    SSL_CTX *ctx = d.context.native_handle();
    ERR_clear_error();

    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1
        || SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 || SSL_CTX_set1_groups_list(ctx, kGroups) != 1)
        return R::failure(withOpensslError(QStringLiteral("cannot configure TLS protocol versions and ciphers")));
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);

    if (SSL_CTX_use_certificate(ctx, chain->front().get()) != 1)
        return R::failure(withOpensslError(QStringLiteral("server certificate is not usable")));
    for (std::size_t i = 1; i < chain->size(); ++i) {
        if (SSL_CTX_add1_chain_cert(ctx, (*chain)[i].get()) != 1)
            return R::failure(withOpensslError(QStringLiteral("server certificate chain is not usable")));
    }
    if (X509_check_private_key(chain->front().get(), key.get()) != 1) {
        ERR_clear_error();
        return R::failure(QStringLiteral("server private key does not match the server certificate"));
    }
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return R::failure(withOpensslError(QStringLiteral("server private key is not usable")));

    if (!clientCas.empty()) {
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        for (const X509Ptr &ca : clientCas) {
            // add_client_CA once per CA here, never per connection: the names list is
            // copied into each SSL object and sent in every CertificateRequest.
            if (X509_STORE_add_cert(store, ca.get()) != 1 || SSL_CTX_add_client_CA(ctx, ca.get()) != 1)
                return R::failure(withOpensslError(QStringLiteral("client CA certificate is not usable")));
            d.clientCaDer += toDer(ca.get());
        }
        // Request, verify if given, do not require (no SSL_VERIFY_FAIL_IF_NO_PEER_CERT). The
        // default purpose check on the server side is "SSL client": a certificate with an
        // extended key usage must list clientAuth.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_verify_depth(ctx, 4);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    }

    // Resumption through the server's own session cache (tlssessioncache.h says why not
    // stateless tickets); SSL_OP_NO_TICKET makes TLS 1.3 send stateful tickets, which only
    // name a cached session. The session id context is mandatory with SSL_VERIFY_PEER, or
    // OpenSSL aborts resumed handshakes.
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    d.sessions = std::make_shared<TlsSessionCache>(sessions.clock ? *sessions.clock : processClock(),
                                                   sessions.capacity, sessions.lifetimeSeconds);
    d.sessions->attach(ctx);
    if (SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1) != 1
        || SSL_CTX_set_num_tickets(ctx, 1) != 1)
        return R::failure(withOpensslError(QStringLiteral("cannot configure TLS session resumption")));

    d.leafDer = toDer(chain->front().get());
    d.serial = serialHex(chain->front().get());
    d.notAfter = notAfter(chain->front().get());
    return context;
}

Result<std::shared_ptr<TlsContext>> TlsContext::fromFiles(const QString &certificateChainPath,
                                                          const QString &privateKeyPath,
                                                          const QString &clientCaPath)
{
    using R = Result<std::shared_ptr<TlsContext>>;
    const auto chain = readFileLimited(certificateChainPath, kMaxPemBytes);
    if (!chain)
        return R(chain.error());
    const auto key = readFileLimited(privateKeyPath, kMaxPemBytes);
    if (!key)
        return R(key.error());
    QByteArray clientCa;
    if (!clientCaPath.isEmpty()) {
        const auto ca = readFileLimited(clientCaPath, kMaxPemBytes);
        if (!ca)
            return R(ca.error());
        clientCa = ca.value();
    }
    auto context = fromPem(chain.value(), key.value(), clientCa);
    if (!context)
        return R::failure(QStringLiteral("%1 (certificate %2, key %3, client CA %4)")
                              .arg(context.errorMessage(), certificateChainPath, privateKeyPath, clientCaPath));
    return context;
}

void shareSessions(const TlsContext &from, TlsContext &to)
{
    if (&from == &to || from.d().clientCaDer != to.d().clientCaDer || !from.d().sessions)
        return;
    to.d().sessions = from.d().sessions;
    to.d().sessions->attach(to.d().context.native_handle());
}

} // namespace imprint::service
