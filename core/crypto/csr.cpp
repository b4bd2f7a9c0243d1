#include "crypto/csr.h"

#include "crypto/opensslutil_p.h"
#include "crypto/x509name_p.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <QList>

namespace imprint::crypto {

using detail::ErrorQueueScope;

namespace {
// ub-common-name of X.520.
constexpr qsizetype kMaxCommonNameCharacters = 64;
} // namespace

Result<QByteArray> createCsr(const PrivateKey &key, const QString &commonName)
{
    using R = Result<QByteArray>;
    if (key.isNull())
        return R::failure(QStringLiteral("cannot create a CSR without a private key"));
    if (commonName.isEmpty())
        return R::failure(QStringLiteral("the CSR common name is empty"));
    if (commonName.toUcs4().size() > kMaxCommonNameCharacters)
        return R::failure(QStringLiteral("the CSR common name is longer than %1 characters").arg(kMaxCommonNameCharacters));

    const EVP_MD *digest = nullptr;
    EVP_PKEY *pkey = key.get();
    if (EVP_PKEY_is_a(pkey, "EC") || EVP_PKEY_is_a(pkey, "RSA"))
        digest = EVP_sha256();
    else if (!EVP_PKEY_is_a(pkey, "ED25519") && !EVP_PKEY_is_a(pkey, "ED448"))
        return R::failure(QStringLiteral("key type %1 cannot sign a CSR").arg(key.description()));

    ErrorQueueScope errorScope;
    X509ReqPtr request(X509_REQ_new());
    X509NamePtr subject(X509_NAME_new());
    const QByteArray cn = commonName.toUtf8();
    if (!request || !subject || X509_REQ_set_version(request.get(), 0) != 1
        || X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(cn.constData()),
                                      static_cast<int>(cn.size()), -1, 0)
            != 1
        || X509_REQ_set_subject_name(request.get(), subject.get()) != 1
        || X509_REQ_set_pubkey(request.get(), pkey) != 1)
        return R::failure(withOpensslError(QStringLiteral("cannot build the CSR")));
    if (X509_REQ_sign(request.get(), pkey, digest) <= 0)
        return R::failure(withOpensslError(QStringLiteral("cannot sign the CSR")));
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), request.get()) != 1)
        return R::failure(withOpensslError(QStringLiteral("cannot encode the CSR")));
    return detail::bioContents(bio.get());
}

Result<Csr> Csr::parse(QByteArrayView pem)
{
    const QString what = QStringLiteral("CSR");
    if (Status size = detail::checkInputSize(pem, detail::kMaxObjectBytes, what); !size)
        return size.error();
    QByteArray der;
    bool found = false;
    const Status read = detail::forEachPemBlock(pem, what, [&](detail::PemBlock &block) {
        if (block.name != "CERTIFICATE REQUEST" && block.name != "NEW CERTIFICATE REQUEST")
            return true;
        der = block.der;
        found = true;
        return false;
    });
    if (!read)
        return read.error();
    if (!found)
        return Error{QStringLiteral("no \"CERTIFICATE REQUEST\" PEM block found")};

    ErrorQueueScope errorScope;
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *cursor = begin;
    X509ReqPtr request(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(der.size())));
    if (!request)
        return Error{withOpensslError(QStringLiteral("CSR cannot be parsed"))};
    if (cursor != begin + der.size())
        return Error{QStringLiteral("CSR has trailing data after its encoding")};
    EVP_PKEY *key = X509_REQ_get0_pubkey(request.get());
    if (!key)
        return Error{withOpensslError(QStringLiteral("CSR public key cannot be read"))};
    if (X509_REQ_verify(request.get(), key) != 1) {
        ERR_clear_error();
        return Error{QStringLiteral("CSR signature is invalid")};
    }
    auto publicKey = PublicKey::sharing(key);
    if (!publicKey)
        return Error{QStringLiteral("CSR public key cannot be used: %1").arg(publicKey.errorMessage())};
    Csr csr;
    csr.m_req = std::move(request);
    csr.m_publicKey = std::move(publicKey).value();
    return csr;
}

QString Csr::subjectCommonName() const
{
    if (!m_req)
        return {};
    return detail::nameEntry(X509_REQ_get_subject_name(m_req.get()), NID_commonName);
}

QByteArray Csr::toPem() const
{
    if (!m_req)
        return {};
    ErrorQueueScope errorScope;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), m_req.get()) != 1)
        return {};
    return detail::bioContents(bio.get());
}

QByteArray Csr::toDer() const
{
    if (!m_req)
        return {};
    ErrorQueueScope errorScope;
    unsigned char *buffer = nullptr;
    const int length = i2d_X509_REQ(m_req.get(), &buffer);
    if (length <= 0 || !buffer)
        return {};
    const QByteArray der(reinterpret_cast<const char *>(buffer), length);
    OPENSSL_free(buffer);
    return der;
}

} // namespace imprint::crypto
