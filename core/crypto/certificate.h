#pragma once

#include "common/result.h"
#include "crypto/handles.h"
#include "crypto/privatekey.h"
#include "crypto/publickey.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QFlags>
#include <QList>
#include <QString>
#include <QStringList>

namespace imprint::crypto {

// Bits of the X.509 KeyUsage extension (values of OpenSSL's KU_* constants).
enum class KeyUsageFlag : quint32 {
    DigitalSignature = 0x0080,
    NonRepudiation = 0x0040,
    KeyEncipherment = 0x0020,
    DataEncipherment = 0x0010,
    KeyAgreement = 0x0008,
    KeyCertSign = 0x0004,
    CrlSign = 0x0002,
    EncipherOnly = 0x0001,
    DecipherOnly = 0x8000,
};
Q_DECLARE_FLAGS(KeyUsage, KeyUsageFlag)

// An X.509 certificate. Copies share the same immutable X509 (reference counted).
// Only certificates whose extensions OpenSSL can parse and whose public key and validity
// dates can be read are loaded. A default-constructed Certificate is null: text accessors
// are empty, dates invalid, predicates false, encodings empty.
class Certificate {
public:
    Certificate() = default;
    Certificate(const Certificate &other);
    Certificate &operator=(const Certificate &other);
    Certificate(Certificate &&other) noexcept = default;
    Certificate &operator=(Certificate &&other) noexcept = default;
    ~Certificate() = default;

    // The first "CERTIFICATE" block of `pem` (at most 64 KiB; other blocks are skipped).
    static Result<Certificate> fromPem(QByteArrayView pem);
    // Every "CERTIFICATE" block of a PEM bundle (at most 1 MiB), in order; at least one.
    static Result<QList<Certificate>> chainFromPem(QByteArrayView pem);
    // Exactly one DER certificate (at most 64 KiB), no trailing bytes.
    static Result<Certificate> fromDer(QByteArrayView der);
    // Takes a reference to `certificate` (X509_up_ref), with the same checks as parsing.
    static Result<Certificate> fromHandle(X509 *certificate);

    bool isNull() const noexcept { return !m_cert; }

    QString subjectCommonName() const;
    QString subjectOrganization() const;
    QString issuerCommonName() const;
    QString issuerOrganization() const;
    // RFC 2253 text of the names, for display ("CN=srv_x,O=Imprint CA").
    QString subjectText() const;
    QString issuerText() const;

    // Lowercase hex without leading zeros, "0" for zero, "-" prefix if negative: the
    // form of Go's serial.Text(16), compared against the registry.
    QString serialHex() const;

    QDateTime notBefore() const; // UTC
    QDateTime notAfter() const;  // UTC

    // Empty when the certificate has no KeyUsage extension (see hasKeyUsageExtension()).
    KeyUsage keyUsage() const;
    bool hasKeyUsageExtension() const;
    // True only when an ExtendedKeyUsage extension is present and lists the purpose.
    bool hasExtendedKeyUsageClientAuth() const;
    bool hasExtendedKeyUsageServerAuth() const;
    // BasicConstraints present with CA:TRUE.
    bool isCa() const;
    // BasicConstraints pathLenConstraint, -1 when absent.
    int pathLength() const;

    QStringList sanUris() const;
    QStringList sanDnsNames() const;
    // Textual addresses ("192.0.2.7", "2001:db8::1").
    QStringList sanIpAddresses() const;

    QByteArray sha256OfDer() const;
    // "sha256:" + lowercase hex SHA-256 of the DER: the CA pin devices use.
    QString pin() const;

    PublicKey publicKey() const { return m_publicKey; }
    QByteArray toPem() const;
    QByteArray toDer() const;
    X509 *get() const noexcept { return m_cert.get(); }

    // Same encoding.
    bool equals(const Certificate &other) const;
    // `issuer`'s subject is this certificate's issuer (and its key identifiers and key
    // usage allow it) and its key verifies this certificate's signature. No time checks.
    bool isSignedBy(const Certificate &issuer) const;
    // This certificate's public key is the public half of `key`.
    bool matchesPrivateKey(const PrivateKey &key) const;

private:
    static Result<Certificate> adopt(X509Ptr certificate);
    X509Ptr m_cert;
    PublicKey m_publicKey;
};

} // namespace imprint::crypto

Q_DECLARE_OPERATORS_FOR_FLAGS(imprint::crypto::KeyUsage)
