#include "crypto/proof.h"

#include "crypto/digest.h"
#include "crypto/opensslutil_p.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <optional>

namespace imprint::crypto {

using detail::ErrorQueueScope;

namespace {

// Far above any ECDSA P-256 (<= 72 bytes) or Ed25519 (64 bytes) signature.
constexpr qsizetype kMaxProofBase64 = 1024;

bool isBase64Alphabet(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Standard, padded base64 and nothing else: no white space, no URL alphabet, no missing
// or misplaced padding (Qt's decoder alone tolerates some of those).
std::optional<QByteArray> decodeStrictBase64(const QByteArray &text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    qsizetype padding = 0;
    for (const char c : text) {
        if (c == '=') {
            ++padding;
        } else if (!isBase64Alphabet(c) || padding > 0) {
            return std::nullopt;
        }
    }
    if (padding > 2)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::Base64Encoding
                                                            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(*decoded);
}

bool canSignProofs(KeyType type)
{
    return type == KeyType::EcP256 || type == KeyType::Ed25519;
}

QString refusedKeyMessage(const QString &description)
{
    return QStringLiteral("key type %1 cannot sign proofs; only ECDSA P-256 and Ed25519 can").arg(description);
}

} // namespace

QByteArray proofDigest(const QString &serverId, const QString &fingerprint, const QByteArray &csrPem)
{
    QByteArray message = serverId.toUtf8();
    message += '\n';
    message += fingerprint.toUtf8();
    message += '\n';
    message += csrPem;
    return sha256(message);
}

Result<QByteArray> signProof(const PrivateKey &oldKey, const QString &serverId, const QString &fingerprint,
                             const QByteArray &csrPem)
{
    using R = Result<QByteArray>;
    if (oldKey.isNull())
        return R::failure(QStringLiteral("cannot sign a proof without the old private key"));
    const KeyType type = oldKey.type();
    if (!canSignProofs(type))
        return R::failure(refusedKeyMessage(oldKey.description()));
    const QByteArray digest = proofDigest(serverId, fingerprint, csrPem);
    if (digest.size() != 32)
        return R::failure(withOpensslError(QStringLiteral("cannot compute the proof digest")));
    const auto *tbs = reinterpret_cast<const unsigned char *>(digest.constData());

    ErrorQueueScope errorScope;
    QByteArray signature;
    size_t length = 0;
    if (type == KeyType::EcP256) {
        // D is already SHA-256 of the message: sign it as a pre-hashed value, which is
        // what ECDSA-with-SHA-256 over the message does.
        PKeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, oldKey.get(), nullptr));
        if (!context || EVP_PKEY_sign_init(context.get()) != 1
            || EVP_PKEY_CTX_set_signature_md(context.get(), EVP_sha256()) != 1
            || EVP_PKEY_sign(context.get(), nullptr, &length, tbs, 32) != 1)
            return R::failure(withOpensslError(QStringLiteral("cannot sign the proof")));
        signature.resize(static_cast<qsizetype>(length));
        if (EVP_PKEY_sign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, tbs, 32) != 1)
            return R::failure(withOpensslError(QStringLiteral("cannot sign the proof")));
    } else {
        // Pure Ed25519 over the 32 bytes of D (no prehash variant).
        MdCtxPtr context(EVP_MD_CTX_new());
        if (!context
            || EVP_DigestSignInit_ex(context.get(), nullptr, nullptr, nullptr, nullptr, oldKey.get(), nullptr) != 1
            || EVP_DigestSign(context.get(), nullptr, &length, tbs, 32) != 1)
            return R::failure(withOpensslError(QStringLiteral("cannot sign the proof")));
        signature.resize(static_cast<qsizetype>(length));
        if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, tbs, 32)
            != 1)
            return R::failure(withOpensslError(QStringLiteral("cannot sign the proof")));
    }
    signature.resize(static_cast<qsizetype>(length));
    return signature.toBase64();
}

Status verifyProof(const PublicKey &oldKey, const QString &serverId, const QString &fingerprint,
                   const QByteArray &csrPem, const QByteArray &proofBase64)
{
    if (oldKey.isNull())
        return Status::failure(QStringLiteral("no public key to verify the proof with"));
    const KeyType type = oldKey.type();
    if (!canSignProofs(type))
        return Status::failure(refusedKeyMessage(oldKey.description()));
    if (proofBase64.isEmpty())
        return Status::failure(QStringLiteral("proof is empty"));
    if (proofBase64.size() > kMaxProofBase64)
        return Status::failure(QStringLiteral("proof is too long"));
    const std::optional<QByteArray> signature = decodeStrictBase64(proofBase64);
    if (!signature)
        return Status::failure(QStringLiteral("proof is not valid base64"));
    if (signature->isEmpty())
        return Status::failure(QStringLiteral("proof is empty"));
    const QByteArray digest = proofDigest(serverId, fingerprint, csrPem);
    if (digest.size() != 32)
        return Status::failure(withOpensslError(QStringLiteral("cannot compute the proof digest")));
    const auto *tbs = reinterpret_cast<const unsigned char *>(digest.constData());
    const auto *sig = reinterpret_cast<const unsigned char *>(signature->constData());
    const auto sigLength = static_cast<size_t>(signature->size());

    ErrorQueueScope errorScope;
    bool verified = false;
    if (type == KeyType::EcP256) {
        PKeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, oldKey.get(), nullptr));
        if (!context || EVP_PKEY_verify_init(context.get()) != 1
            || EVP_PKEY_CTX_set_signature_md(context.get(), EVP_sha256()) != 1)
            return Status::failure(withOpensslError(QStringLiteral("cannot verify the proof")));
        verified = EVP_PKEY_verify(context.get(), sig, sigLength, tbs, 32) == 1;
    } else {
        MdCtxPtr context(EVP_MD_CTX_new());
        if (!context
            || EVP_DigestVerifyInit_ex(context.get(), nullptr, nullptr, nullptr, nullptr, oldKey.get(), nullptr)
                != 1)
            return Status::failure(withOpensslError(QStringLiteral("cannot verify the proof")));
        verified = EVP_DigestVerify(context.get(), sig, sigLength, tbs, 32) == 1;
    }
    if (!verified) {
        ERR_clear_error();
        return Status::failure(QStringLiteral("proof signature does not verify"));
    }
    return Status::success();
}

} // namespace imprint::crypto
