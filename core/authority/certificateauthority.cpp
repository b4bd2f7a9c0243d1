#include "authority/certificateauthority.h"

#include "authority/serialnumber.h"
#include "common/atomicfile.h"
#include "common/logging.h"
#include "crypto/handles.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace imprint::authority {

namespace {

using namespace std::chrono_literals;

constexpr qint64 kMaxPemBytes = 64 * 1024;
constexpr auto kCaValidity = 20 * 365 * 24h + 5 * 24h; // twenty years, leap days included
constexpr auto kCaBackdate = 1h;
constexpr auto kLeafBackdate = 5min;

QString opensslFailure(const QString &what)
{
    return QStringLiteral("%1: %2").arg(what, crypto::opensslErrorString());
}

bool addNameEntry(X509_NAME *name, const char *field, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(utf8.constData()),
                                      int(utf8.size()), -1, 0) == 1;
}

// Adds an extension written in OpenSSL's configuration syntax; `issuer` and `subject` give
// the key identifiers their context.
bool addExtension(X509 *certificate, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    crypto::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

struct Validity {
    QDateTime notBefore;
    QDateTime notAfter;
};

// Everything every certificate of ours shares; the caller adds the extensions.
Result<crypto::X509Ptr> newCertificate(const crypto::PublicKey &publicKey, X509_NAME *subject, X509_NAME *issuer,
                                       const Validity &validity)
{
    crypto::X509Ptr certificate(X509_new());
    auto serial = randomSerialNumber();
    if (!serial)
        return serial.error();
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1
        || X509_set_serialNumber(certificate.get(), serial.value().get()) != 1
        || !ASN1_TIME_set(X509_getm_notBefore(certificate.get()), time_t(validity.notBefore.toSecsSinceEpoch()))
        || !ASN1_TIME_set(X509_getm_notAfter(certificate.get()), time_t(validity.notAfter.toSecsSinceEpoch()))
        || X509_set_subject_name(certificate.get(), subject) != 1
        || X509_set_issuer_name(certificate.get(), issuer) != 1
        || X509_set_pubkey(certificate.get(), publicKey.get()) != 1)
        return Result<crypto::X509Ptr>::failure(opensslFailure(QStringLiteral("cannot build certificate")));
    return certificate;
}

Result<crypto::Certificate> signCertificate(X509 *certificate, const crypto::PrivateKey &key)
{
    if (X509_sign(certificate, key.get(), EVP_sha256()) <= 0)
        return Result<crypto::Certificate>::failure(opensslFailure(QStringLiteral("cannot sign certificate")));
    return crypto::Certificate::fromHandle(certificate);
}

} // namespace

CertificateAuthority::CertificateAuthority(QString directory, crypto::PrivateKey key, crypto::Certificate certificate)
    : m_directory(std::move(directory)), m_key(std::move(key)), m_certificate(std::move(certificate))
{
}

Result<std::shared_ptr<const CertificateAuthority>> CertificateAuthority::load(const QString &directory)
{
    using Loaded = Result<std::shared_ptr<const CertificateAuthority>>;
    const QDir dir(directory);
    const QString keyPath = dir.filePath(QLatin1String(kKeyFile));
    const QString certificatePath = dir.filePath(QLatin1String(kCertificateFile));
    const bool hasKey = QFileInfo::exists(keyPath);
    const bool hasCertificate = QFileInfo::exists(certificatePath);
    if (!hasKey && !hasCertificate)
        return Loaded::failure(QStringLiteral("no CA in %1 (create one with 'imprint ca init --ca-dir %1')").arg(directory));
    if (!hasKey)
        return Loaded::failure(QStringLiteral("%1 exists but its key %2 is missing; restore the key from a backup "
                                              "(a new CA would not be trusted by enrolled devices)")
                                   .arg(certificatePath, keyPath));
    if (!hasCertificate)
        return Loaded::failure(QStringLiteral("%1 exists but its certificate %2 is missing; restore it from a backup")
                                   .arg(keyPath, certificatePath));

    auto keyPem = readFileLimited(keyPath, kMaxPemBytes);
    if (!keyPem)
        return keyPem.error();
    auto key = crypto::PrivateKey::fromPem(keyPem.value());
    if (!key)
        return Loaded::failure(QStringLiteral("%1: %2").arg(keyPath, key.errorMessage()));
    auto certificatePem = readFileLimited(certificatePath, kMaxPemBytes);
    if (!certificatePem)
        return certificatePem.error();
    auto certificate = crypto::Certificate::fromPem(certificatePem.value());
    if (!certificate)
        return Loaded::failure(QStringLiteral("%1: %2").arg(certificatePath, certificate.errorMessage()));
    if (!certificate->matchesPrivateKey(key.value()))
        return Loaded::failure(QStringLiteral("%1 does not belong to %2: the key and certificate are of different CAs")
                                   .arg(keyPath, certificatePath));
    if (!certificate->isCa())
        return Loaded::failure(QStringLiteral("%1 is not a CA certificate").arg(certificatePath));
    return std::make_shared<const CertificateAuthority>(directory, std::move(key).value(),
                                                        std::move(certificate).value());
}

Result<std::shared_ptr<const CertificateAuthority>>
CertificateAuthority::create(const QString &directory, const QString &organization, const QDateTime &now)
{
    using Created = Result<std::shared_ptr<const CertificateAuthority>>;
    const QDir dir(directory);
    const QString keyPath = dir.filePath(QLatin1String(kKeyFile));
    const QString certificatePath = dir.filePath(QLatin1String(kCertificateFile));
    if (QFileInfo::exists(keyPath) || QFileInfo::exists(certificatePath))
        return Created::failure(QStringLiteral("%1 already holds a CA; it is never replaced").arg(directory));
    const QString org = organization.trimmed().isEmpty() ? QString::fromLatin1(kDefaultOrganization)
                                                         : organization.trimmed();

    auto key = crypto::PrivateKey::generateP256();
    if (!key)
        return key.error();
    crypto::X509NamePtr name(X509_NAME_new());
    if (!name || !addNameEntry(name.get(), "O", org) || !addNameEntry(name.get(), "CN", org))
        return Created::failure(opensslFailure(QStringLiteral("cannot build the CA name")));
    auto certificate = newCertificate(key->publicKey(), name.get(), name.get(),
                                      {now.addSecs(-std::chrono::seconds(kCaBackdate).count()),
                                       now.addSecs(std::chrono::seconds(kCaValidity).count())});
    if (!certificate)
        return certificate.error();
    X509 *x = certificate.value().get();
    if (!addExtension(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
        || !addExtension(x, x, NID_key_usage, "critical,keyCertSign,cRLSign")
        || !addExtension(x, x, NID_subject_key_identifier, "hash"))
        return Created::failure(opensslFailure(QStringLiteral("cannot add CA extensions")));
    auto signedCertificate = signCertificate(x, key.value());
    if (!signedCertificate)
        return signedCertificate.error();

    // Key first: a crash between the two writes leaves a key without a certificate, which
    // load() reports, rather than a certificate whose key is lost for good.
    if (Status made = ensureDirectory(directory, 0700); !made)
        return made.error();
    if (Status written = writeFileAtomically(keyPath, key->toPem(), 0600); !written)
        return written.error();
    if (Status written = writeFileAtomically(certificatePath, signedCertificate->toPem(), 0644); !written)
        return written.error();
    qCInfo(lcAuthority).noquote() << "event=ca_created dir=" + directory << "pin=" + signedCertificate->pin();
    return std::make_shared<const CertificateAuthority>(directory, std::move(key).value(),
                                                        std::move(signedCertificate).value());
}

Result<std::shared_ptr<const CertificateAuthority>>
CertificateAuthority::loadOrCreate(const QString &directory, const QString &organization, const QDateTime &now)
{
    const QDir dir(directory);
    if (!QFileInfo::exists(dir.filePath(QLatin1String(kKeyFile)))
        && !QFileInfo::exists(dir.filePath(QLatin1String(kCertificateFile))))
        return create(directory, organization, now);
    return load(directory);
}

Result<crypto::Certificate> CertificateAuthority::issueDeviceCertificate(const crypto::PublicKey &publicKey,
                                                                        const QString &serverId,
                                                                        std::chrono::seconds validity,
                                                                        const QDateTime &now) const
{
    crypto::X509NamePtr subject(X509_NAME_new());
    if (!subject || !addNameEntry(subject.get(), "O", organization()) || !addNameEntry(subject.get(), "CN", serverId))
        return Result<crypto::Certificate>::failure(opensslFailure(QStringLiteral("cannot build the device name")));
    auto certificate = newCertificate(publicKey, subject.get(), X509_get_subject_name(m_certificate.get()),
                                      {now.addSecs(-std::chrono::seconds(kLeafBackdate).count()),
                                       now.addSecs(validity.count())});
    if (!certificate)
        return certificate.error();
    X509 *x = certificate.value().get();
    const QByteArray san = "URI:imprint://server/" + serverId.toUtf8();
    if (!addExtension(x, m_certificate.get(), NID_key_usage, "critical,digitalSignature")
        || !addExtension(x, m_certificate.get(), NID_ext_key_usage, "clientAuth")
        || !addExtension(x, m_certificate.get(), NID_subject_alt_name, san.constData())
        || !addExtension(x, m_certificate.get(), NID_authority_key_identifier, "keyid:always"))
        return Result<crypto::Certificate>::failure(opensslFailure(QStringLiteral("cannot add device extensions")));
    return signCertificate(x, m_key);
}

Result<crypto::Certificate> CertificateAuthority::issueServerCertificate(const crypto::PublicKey &publicKey,
                                                                        const QStringList &names,
                                                                        std::chrono::seconds validity,
                                                                        const QDateTime &now) const
{
    if (names.isEmpty())
        return Result<crypto::Certificate>::failure(QStringLiteral("a server certificate needs at least one name"));
    QStringList entries;
    for (const QString &name : names) {
        // Commas would split the configuration string into extra entries.
        if (name.contains(QLatin1Char(',')) || name.trimmed().isEmpty())
            return Result<crypto::Certificate>::failure(QStringLiteral("invalid server name \"%1\"").arg(name));
        entries << (QHostAddress(name).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) + name;
    }
    crypto::X509NamePtr subject(X509_NAME_new());
    if (!subject || !addNameEntry(subject.get(), "O", organization()) || !addNameEntry(subject.get(), "CN", names.first()))
        return Result<crypto::Certificate>::failure(opensslFailure(QStringLiteral("cannot build the server name")));
    auto certificate = newCertificate(publicKey, subject.get(), X509_get_subject_name(m_certificate.get()),
                                      {now.addSecs(-std::chrono::seconds(kLeafBackdate).count()),
                                       now.addSecs(validity.count())});
    if (!certificate)
        return certificate.error();
    X509 *x = certificate.value().get();
    const QByteArray san = entries.join(QLatin1Char(',')).toUtf8();
    if (!addExtension(x, m_certificate.get(), NID_key_usage, "critical,digitalSignature")
        || !addExtension(x, m_certificate.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(x, m_certificate.get(), NID_subject_alt_name, san.constData())
        || !addExtension(x, m_certificate.get(), NID_authority_key_identifier, "keyid:always"))
        return Result<crypto::Certificate>::failure(opensslFailure(QStringLiteral("cannot add server extensions")));
    return signCertificate(x, m_key);
}

} // namespace imprint::authority
