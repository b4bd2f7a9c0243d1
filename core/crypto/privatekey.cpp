#include "crypto/privatekey.h"

#include "crypto/opensslutil_p.h"

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>

namespace imprint::crypto {

using detail::ErrorQueueScope;

namespace {

// How each unencrypted PEM private key block is stored (the DER structure name of
// OpenSSL 3's decoders, and the key type when the structure does not say).
struct KeyFormat {
    const char *pemName;
    const char *structure;
    const char *keyType;
};
constexpr KeyFormat kKeyFormats[] = {
    {"PRIVATE KEY", "PrivateKeyInfo", nullptr},
    {"EC PRIVATE KEY", "type-specific", "EC"},
    {"RSA PRIVATE KEY", "type-specific", "RSA"},
};

const KeyFormat *keyFormat(const QByteArray &pemName)
{
    for (const KeyFormat &format : kKeyFormats) {
        if (pemName == format.pemName)
            return &format;
    }
    return nullptr;
}

bool isPrivateKeyBlock(const QByteArray &name)
{
    return name.endsWith("PRIVATE KEY");
}

} // namespace

Result<PrivateKey> PrivateKey::generateP256()
{
    ErrorQueueScope errorScope;
    PKeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *key = nullptr;
    if (!context || EVP_PKEY_keygen_init(context.get()) != 1
        || EVP_PKEY_CTX_set_group_name(context.get(), "P-256") != 1
        || EVP_PKEY_generate(context.get(), &key) != 1 || !key)
        return Error{withOpensslError(QStringLiteral("cannot generate an ECDSA P-256 key"))};
    return PrivateKey(PKeyPtr(key));
}

Result<PrivateKey> PrivateKey::generateEd25519()
{
    ErrorQueueScope errorScope;
    PKeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
    EVP_PKEY *key = nullptr;
    if (!context || EVP_PKEY_keygen_init(context.get()) != 1 || EVP_PKEY_generate(context.get(), &key) != 1
        || !key)
        return Error{withOpensslError(QStringLiteral("cannot generate an Ed25519 key"))};
    return PrivateKey(PKeyPtr(key));
}

Result<PrivateKey> PrivateKey::fromPem(QByteArrayView pem)
{
    const QString what = QStringLiteral("private key");
    if (Status size = detail::checkInputSize(pem, detail::kMaxObjectBytes, what); !size)
        return size.error();

    ErrorQueueScope errorScope;
    QString failure;
    PKeyPtr key;
    bool found = false;
    const Status read = detail::forEachPemBlock(pem, what, [&](detail::PemBlock &block) {
        if (!isPrivateKeyBlock(block.name))
            return true; // e.g. "EC PARAMETERS" before the key, as `openssl ecparam -genkey` writes
        found = true;
        if (block.name == "ENCRYPTED PRIVATE KEY" || block.headers.contains("ENCRYPTED")) {
            failure = QStringLiteral("the private key is encrypted with a passphrase; provide it unencrypted "
                                     "(e.g. `openssl pkey -in encrypted.key -out plain.key`)");
            return false;
        }
        const KeyFormat *format = keyFormat(block.name);
        if (!format) {
            failure = QStringLiteral("unsupported private key PEM type \"%1\"").arg(QString::fromLatin1(block.name));
            return false;
        }
        EVP_PKEY *decoded = nullptr;
        DecoderCtxPtr decoder(OSSL_DECODER_CTX_new_for_pkey(&decoded, "DER", format->structure, format->keyType,
                                                            EVP_PKEY_KEYPAIR, nullptr, nullptr));
        const auto *data = reinterpret_cast<const unsigned char *>(block.der.constData());
        size_t length = static_cast<size_t>(block.der.size());
        if (!decoder || OSSL_DECODER_from_data(decoder.get(), &data, &length) != 1 || !decoded) {
            EVP_PKEY_free(decoded);
            failure = withOpensslError(QStringLiteral("the \"%1\" PEM block is not a valid private key")
                                           .arg(QString::fromLatin1(block.name)));
            return false;
        }
        key.reset(decoded);
        if (length != 0) {
            key.reset();
            failure = QStringLiteral("the private key has trailing data after its encoding");
            return false;
        }
        // A key file may carry a public part that does not belong to its private part
        // (corruption, a bad converter); everything derived from it would then be wrong.
        PKeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
        if (!check || EVP_PKEY_pairwise_check(check.get()) != 1) {
            key.reset();
            failure = withOpensslError(QStringLiteral("the private key is inconsistent (its public part does not "
                                                      "match its private part)"));
        }
        return false;
    });
    if (!read)
        return read.error();
    if (!found)
        return Error{QStringLiteral("no private key PEM block found (expected \"EC PRIVATE KEY\" or \"PRIVATE KEY\")")};
    if (!key)
        return Error{failure};
    return PrivateKey(std::move(key));
}

QByteArray PrivateKey::toPem() const
{
    if (!m_key)
        return {};
    ErrorQueueScope errorScope;
    // SEC1 for EC, as the reference writes it and Go's x509.ParseECPrivateKey reads it.
    const char *structure = EVP_PKEY_is_a(m_key.get(), "EC") ? "type-specific" : "PrivateKeyInfo";
    EncoderCtxPtr encoder(
        OSSL_ENCODER_CTX_new_for_pkey(m_key.get(), EVP_PKEY_KEYPAIR, "PEM", structure, nullptr));
    // Secure-heap memory BIO: the buffer holding the secret is cleared when freed.
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!encoder || OSSL_ENCODER_CTX_get_num_encoders(encoder.get()) == 0 || !bio
        || OSSL_ENCODER_to_bio(encoder.get(), bio.get()) != 1)
        return {};
    return detail::bioContents(bio.get());
}

PublicKey PrivateKey::publicKey() const
{
    if (!m_key)
        return {};
    auto key = PublicKey::fromHandle(m_key.get());
    return key ? std::move(key).value() : PublicKey();
}

KeyType PrivateKey::type() const
{
    return keyTypeOf(m_key.get());
}

QString PrivateKey::description() const
{
    return describeKey(m_key.get());
}

} // namespace imprint::crypto
