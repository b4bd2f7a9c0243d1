#pragma once

#include "common/result.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "crypto/publickey.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

namespace imprint::authority {

// The service's own CA of PROTOCOL.md section 4: ECDSA P-256, self-signed, in a directory
// holding ca.crt (0644) and ca.key (SEC1, 0600). It issues device certificates and the
// service's TLS server certificate. Immutable after loading, so worker threads share it.
class CertificateAuthority {
public:
    static constexpr auto kDefaultOrganization = "Imprint CA";
    static constexpr auto kCertificateFile = "ca.crt";
    static constexpr auto kKeyFile = "ca.key";

    // Loads the pair from `directory`. A directory with one file of the two, a file that
    // cannot be read or parsed, or a key that does not match the certificate is an error
    // naming the file: an existing CA is never replaced.
    static Result<std::shared_ptr<const CertificateAuthority>> load(const QString &directory);

    // Creates a new CA in `directory` (mode 0700), writing the key first, then the
    // certificate, each atomically. Refuses if either file already exists.
    static Result<std::shared_ptr<const CertificateAuthority>> create(const QString &directory,
                                                                      const QString &organization,
                                                                      const QDateTime &now);

    // Loads the CA when the directory holds one, creates it when it holds neither file.
    static Result<std::shared_ptr<const CertificateAuthority>> loadOrCreate(const QString &directory,
                                                                            const QString &organization,
                                                                            const QDateTime &now);

    // A device certificate: subject CN=<serverId>, O=<organisation>; not-before five minutes
    // before `now`; KeyUsage digitalSignature; EKU clientAuth; SAN URI
    // imprint://server/<serverId>. Only `publicKey` is taken from the request.
    Result<crypto::Certificate> issueDeviceCertificate(const crypto::PublicKey &publicKey, const QString &serverId,
                                                       std::chrono::seconds validity, const QDateTime &now) const;

    // The service's TLS certificate: CN=<first name>, SANs as DNS names or IP addresses,
    // KeyUsage digitalSignature, EKU serverAuth.
    Result<crypto::Certificate> issueServerCertificate(const crypto::PublicKey &publicKey, const QStringList &names,
                                                       std::chrono::seconds validity, const QDateTime &now) const;

    const crypto::Certificate &certificate() const { return m_certificate; }
    QString organization() const { return m_certificate.subjectOrganization(); }
    QString directory() const { return m_directory; }
    // "sha256:<hex of the DER>", what devices pin on first contact.
    QString pin() const { return m_certificate.pin(); }

    CertificateAuthority(QString directory, crypto::PrivateKey key, crypto::Certificate certificate);

private:
    QString m_directory;
    crypto::PrivateKey m_key;
    crypto::Certificate m_certificate;
};

} // namespace imprint::authority
