#pragma once

#include "common/result.h"
#include "crypto/handles.h"
#include "crypto/keytype.h"
#include "crypto/publickey.h"

#include <QByteArray>
#include <QByteArrayView>

namespace imprint::crypto {

// A private key. Move-only so that the secret has one owner; EVP_PKEY_free clears the
// material. Never logged and deliberately not printable (no operator<<, no QDebug).
// A default-constructed or moved-from PrivateKey is null: toPem() is empty, type() is
// Other, publicKey() is null, and every operation taking it refuses it with an error.
class PrivateKey {
public:
    PrivateKey() = default;
    PrivateKey(PrivateKey &&other) noexcept = default;
    PrivateKey &operator=(PrivateKey &&other) noexcept = default;
    PrivateKey(const PrivateKey &) = delete;
    PrivateKey &operator=(const PrivateKey &) = delete;
    ~PrivateKey() = default;

    static Result<PrivateKey> generateP256();
    static Result<PrivateKey> generateEd25519();

    // Unencrypted PEM, at most 64 KiB: SEC1 "EC PRIVATE KEY", PKCS#8 "PRIVATE KEY"
    // (EC, Ed25519, RSA, ...), PKCS#1 "RSA PRIVATE KEY". Other PEM blocks before the key
    // (e.g. "EC PARAMETERS") are skipped. Encrypted keys are refused, never prompted for.
    static Result<PrivateKey> fromPem(QByteArrayView pem);

    bool isNull() const noexcept { return !m_key; }

    // EC keys as SEC1 "-----BEGIN EC PRIVATE KEY-----" (the reference's format), every
    // other type as PKCS#8 "-----BEGIN PRIVATE KEY-----". Empty when null.
    QByteArray toPem() const;

    PublicKey publicKey() const;
    KeyType type() const;
    QString description() const;
    EVP_PKEY *get() const noexcept { return m_key.get(); }

private:
    explicit PrivateKey(PKeyPtr key) : m_key(std::move(key)) {}
    PKeyPtr m_key;
};

} // namespace imprint::crypto
