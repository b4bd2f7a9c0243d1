#pragma once

#include "common/result.h"
#include "crypto/handles.h"
#include "crypto/keytype.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace imprint::crypto {

// A public key (EVP_PKEY holding no private part). Copies share the same immutable
// EVP_PKEY (reference counted). A default-constructed or moved-from PublicKey is null:
// every accessor is safe on it (empty encodings, type Other, bits 0, equals nothing).
class PublicKey {
public:
    PublicKey() = default;
    PublicKey(const PublicKey &other);
    PublicKey &operator=(const PublicKey &other);
    PublicKey(PublicKey &&other) noexcept = default;
    PublicKey &operator=(PublicKey &&other) noexcept = default;
    ~PublicKey() = default;

    // SubjectPublicKeyInfo, PEM "PUBLIC KEY" (at most 64 KiB) or DER.
    static Result<PublicKey> fromPem(QByteArrayView pem);
    static Result<PublicKey> fromDer(QByteArrayView der);
    // A public-only copy of `key` (which may hold a private key; the caller keeps it),
    // made through SubjectPublicKeyInfo. Null or unencodable keys fail.
    static Result<PublicKey> fromHandle(EVP_PKEY *key);
    // Shares (up-refs) a key that OpenSSL decoded from a SubjectPublicKeyInfo, such as
    // X509_get0_pubkey() or X509_REQ_get0_pubkey(): it holds no private part, so the
    // round trip of fromHandle() is not needed. That round trip goes through OpenSSL 3's
    // decoder lookups and was most of the cost of parsing a client certificate.
    static Result<PublicKey> sharing(EVP_PKEY *decodedPublicKey);

    bool isNull() const noexcept { return !m_key; }
    QByteArray toPem() const;
    QByteArray toDer() const;
    KeyType type() const;
    int bits() const;
    QString description() const;
    // Same key material (EVP_PKEY_eq); false when either side is null.
    bool equals(const PublicKey &other) const;
    EVP_PKEY *get() const noexcept { return m_key.get(); }

private:
    explicit PublicKey(PKeyPtr key) : m_key(std::move(key)) {}
    PKeyPtr m_key;
};

} // namespace imprint::crypto
