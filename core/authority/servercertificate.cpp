#include "authority/servercertificate.h"

#include "common/atomicfile.h"
#include "common/logging.h"
#include "crypto/privatekey.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QHostInfo>
#include <QSet>

namespace imprint::authority {

namespace {

constexpr qint64 kMaxPemBytes = 64 * 1024;

QSet<QString> certificateNames(const crypto::Certificate &certificate)
{
    QSet<QString> names;
    for (const QString &dns : certificate.sanDnsNames())
        names.insert(dns.toLower());
    for (const QString &ip : certificate.sanIpAddresses())
        names.insert(QHostAddress(ip).toString());
    return names;
}

QSet<QString> wantedNames(const QStringList &names)
{
    QSet<QString> wanted;
    for (const QString &name : names) {
        const QHostAddress address(name);
        wanted.insert(address.isNull() ? name.toLower() : address.toString());
    }
    return wanted;
}

} // namespace

QStringList defaultServerNames()
{
    QStringList names{QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    const QString host = QHostInfo::localHostName().toLower();
    if (!host.isEmpty() && host != QLatin1String("localhost") && !host.contains(QLatin1Char(',')))
        names << host;
    return names;
}

bool serverCertificateIsCurrent(const crypto::Certificate &certificate, const CertificateAuthority &ca,
                                const ServerCertificatePolicy &policy, const QDateTime &now)
{
    return certificate.isSignedBy(ca.certificate()) && certificate.hasExtendedKeyUsageServerAuth()
        && certificateNames(certificate) == wantedNames(policy.names)
        && now.secsTo(certificate.notAfter()) > policy.renewBefore.count()
        && certificate.notBefore() <= now;
}

Result<ServerCredentials> ensureServerCredentials(const CertificateAuthority &ca, const ServerCertificatePolicy &policy,
                                                  const QDateTime &now)
{
    const QDir dir(ca.directory());
    const QString certificatePath = dir.filePath(QStringLiteral("server.crt"));
    const QString keyPath = dir.filePath(QStringLiteral("server.key"));

    if (QFileInfo::exists(certificatePath) && QFileInfo::exists(keyPath)) {
        auto certificatePem = readFileLimited(certificatePath, kMaxPemBytes);
        auto keyPem = readFileLimited(keyPath, kMaxPemBytes);
        if (certificatePem && keyPem) {
            auto certificate = crypto::Certificate::fromPem(certificatePem.value());
            auto key = crypto::PrivateKey::fromPem(keyPem.value());
            if (certificate && key && certificate->matchesPrivateKey(key.value())
                && serverCertificateIsCurrent(certificate.value(), ca, policy, now))
                return ServerCredentials{certificate.value(), certificatePem.value() + ca.certificate().toPem(),
                                         keyPem.value()};
        }
    }

    // Missing, unreadable, for other names, or close to expiry: the server certificate is
    // ours to reissue at will (unlike the CA), so replace it.
    auto key = crypto::PrivateKey::generateP256();
    if (!key)
        return key.error();
    auto certificate = ca.issueServerCertificate(key->publicKey(), policy.names, policy.validity, now);
    if (!certificate)
        return certificate.error();
    const QByteArray keyPem = key->toPem();
    const QByteArray certificatePem = certificate->toPem();
    if (Status written = writeFileAtomically(keyPath, keyPem, 0600); !written)
        return written.error();
    if (Status written = writeFileAtomically(certificatePath, certificatePem, 0644); !written)
        return written.error();
    qCInfo(lcAuthority).noquote() << "event=server_certificate_issued serial=" + certificate->serialHex()
                                  << "not_after=" + certificate->notAfter().toString(Qt::ISODate)
                                  << "names=" + policy.names.join(QLatin1Char(','));
    return ServerCredentials{certificate.value(), certificatePem + ca.certificate().toPem(), keyPem};
}

} // namespace imprint::authority
