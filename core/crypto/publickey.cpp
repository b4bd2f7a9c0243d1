#include "crypto/publickey.h"

#include "crypto/opensslutil_p.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>

namespace imprint::crypto {

using detail::ErrorQueueScope;

PublicKey::PublicKey(const PublicKey &other)
{
    if (other.m_key && EVP_PKEY_up_ref(other.m_key.get()) == 1)
        m_key.reset(other.m_key.get());
}

PublicKey &PublicKey::operator=(const PublicKey &other)
{
    if (this != &other)
        *this = PublicKey(other);
    return *this;
}

Result<PublicKey> PublicKey::fromDer(QByteArrayView der)
{
    const QString what = QStringLiteral("public key");
    if (Status size = detail::checkInputSize(der, detail::kMaxObjectBytes, what); !size)
        return size.error();
    ErrorQueueScope errorScope;
    const auto *begin = reinterpret_cast<const unsigned char *>(der.data());
    const unsigned char *cursor = begin;
    PKeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
    if (!key)
        return Error{withOpensslError(QStringLiteral("public key cannot be parsed"))};
    if (cursor != begin + der.size())
        return Error{QStringLiteral("public key has trailing data after its encoding")};
    return PublicKey(std::move(key));
}

Result<PublicKey> PublicKey::fromPem(QByteArrayView pem)
{
    const QString what = QStringLiteral("public key");
    if (Status size = detail::checkInputSize(pem, detail::kMaxObjectBytes, what); !size)
        return size.error();
    QByteArray der;
    bool found = false;
    const Status read = detail::forEachPemBlock(pem, what, [&](detail::PemBlock &block) {
        if (block.name != "PUBLIC KEY")
            return true;
        der = block.der;
        found = true;
        return false;
    });
    if (!read)
        return read.error();
    if (!found)
        return Error{QStringLiteral("no \"PUBLIC KEY\" PEM block found")};
    return fromDer(der);
}

Result<PublicKey> PublicKey::fromHandle(EVP_PKEY *key)
{
    if (!key)
        return Error{QStringLiteral("no public key")};
    ErrorQueueScope errorScope;
    // A round trip through SubjectPublicKeyInfo keeps only the public half and proves
    // that the key can be encoded at all.
    unsigned char *buffer = nullptr;
    const int length = i2d_PUBKEY(key, &buffer);
    if (length <= 0 || !buffer)
        return Error{withOpensslError(QStringLiteral("public key cannot be encoded"))};
    const QByteArray der(reinterpret_cast<const char *>(buffer), length);
    OPENSSL_free(buffer);
    return fromDer(der);
}

Result<PublicKey> PublicKey::sharing(EVP_PKEY *decodedPublicKey)
{
    if (!decodedPublicKey || EVP_PKEY_up_ref(decodedPublicKey) != 1)
        return Error{QStringLiteral("no public key")};
    return PublicKey(PKeyPtr(decodedPublicKey));
}

QByteArray PublicKey::toPem() const
{
    if (!m_key)
        return {};
    ErrorQueueScope errorScope;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return {};
    return detail::bioContents(bio.get());
}

QByteArray PublicKey::toDer() const
{
    if (!m_key)
        return {};
    ErrorQueueScope errorScope;
    unsigned char *buffer = nullptr;
    const int length = i2d_PUBKEY(m_key.get(), &buffer);
    if (length <= 0 || !buffer)
        return {};
    const QByteArray der(reinterpret_cast<const char *>(buffer), length);
    OPENSSL_free(buffer);
    return der;
}

KeyType PublicKey::type() const
{
    return keyTypeOf(m_key.get());
}

int PublicKey::bits() const
{
    return m_key ? EVP_PKEY_get_bits(m_key.get()) : 0;
}

QString PublicKey::description() const
{
    return describeKey(m_key.get());
}

bool PublicKey::equals(const PublicKey &other) const
{
    if (!m_key || !other.m_key)
        return false;
    ErrorQueueScope errorScope;
    return EVP_PKEY_eq(m_key.get(), other.m_key.get()) == 1;
}

} // namespace imprint::crypto
