#include "device/inspection.h"

#include "common/atomicfile.h"
#include "protocol/codec.h"

#include <QCryptographicHash>
#include <QSslCertificate>

namespace imprint::device {

namespace {

constexpr qint64 kMaxFileBytes = 64 * 1024;
constexpr qint64 kMsecsPerDay = 24 * 60 * 60 * 1000;

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// QSslCertificate::serialNumber() is "0a:1b:..." (hex bytes with colons); the registry
// compares serials as Go's Text(16): lowercase, no separators, no leading zeros.
QString normaliseSerial(const QByteArray &qtSerial)
{
    QString hex = QString::fromLatin1(qtSerial).remove(u':').toLower();
    qsizetype zeros = 0;
    while (zeros < hex.size() - 1 && hex.at(zeros) == u'0')
        ++zeros;
    return hex.mid(zeros);
}

QString caPinOf(const QByteArray &caPem)
{
    const QSslCertificate ca(caPem, QSsl::Pem);
    if (!ca.isNull())
        return QStringLiteral("sha256:") + QString::fromLatin1(ca.digest(QCryptographicHash::Sha256).toHex());
    const auto parsed = crypto::Certificate::fromPem(caPem);
    return parsed.ok() ? parsed.value().pin() : QString();
}

// The certificate fields of the status. Qt reads the certificate (the device side's
// inspection API); crypto::Certificate supplies the RFC 2253 names, which Qt does not
// format, and stands in where Qt cannot parse something OpenSSL can.
void describeCertificate(CredentialStatus &status, const QByteArray &pem, const crypto::Certificate &certificate)
{
    const QSslCertificate qt(pem, QSsl::Pem);
    status.subject = certificate.subjectText();
    status.issuer = certificate.issuerText();
    if (!qt.isNull()) {
        status.serial = normaliseSerial(qt.serialNumber());
        status.notBefore = qt.effectiveDate().toUTC();
        status.notAfter = qt.expiryDate().toUTC();
    }
    if (status.serial.isEmpty())
        status.serial = certificate.serialHex();
    if (!status.notBefore.isValid())
        status.notBefore = certificate.notBefore();
    if (!status.notAfter.isValid())
        status.notAfter = certificate.notAfter();
}

CredentialStatus::State stateAt(const QDateTime &notAfter, const QDateTime &now, std::chrono::seconds threshold,
                                std::chrono::seconds window)
{
    using State = CredentialStatus::State;
    const qint64 remaining = now.msecsTo(notAfter);
    if (remaining >= 0) // the reference: expired means now is after notAfter
        return remaining < threshold.count() * 1000 ? State::RenewalDue : State::Valid;
    return -remaining <= window.count() * 1000 ? State::ExpiredInWindow : State::ExpiredBeyondWindow;
}

} // namespace

QString stateName(CredentialStatus::State state)
{
    using State = CredentialStatus::State;
    switch (state) {
    case State::Valid: return QStringLiteral("valid");
    case State::RenewalDue: return QStringLiteral("renewal_due");
    case State::ExpiredInWindow: return QStringLiteral("expired_in_window");
    case State::ExpiredBeyondWindow: return QStringLiteral("expired_beyond_window");
    case State::NotEnrolled: return QStringLiteral("not_enrolled");
    case State::Unreadable: return QStringLiteral("unreadable");
    }
    return QStringLiteral("unreadable");
}

Result<CredentialStatus> inspect(const CredentialStore &store, const QDateTime &now, std::chrono::seconds threshold,
                                 std::chrono::seconds challengeWindow)
{
    using R = Result<CredentialStatus>;
    if (!now.isValid())
        return R::failure(QStringLiteral("cannot inspect the credentials: no valid current time"));
    if (threshold.count() < 0 || challengeWindow.count() < 0)
        return R::failure(QStringLiteral("cannot inspect the credentials: the renewal threshold and challenge "
                                         "window must not be negative"));

    CredentialStatus status;
    status.storeDirectory = store.directory();
    auto loaded = store.load();
    // After load(): it may just have completed a switch that made the store enrolled.
    status.enrolled = store.isEnrolled();

    if (loaded.ok()) {
        const Credentials &credentials = loaded.value();
        status.serverId = credentials.enrollment.serverId;
        status.fingerprint = credentials.enrollment.fingerprint;
        status.caPin = caPinOf(credentials.caPem);
        describeCertificate(status, credentials.certificatePem, credentials.certificate);
        status.state = stateAt(status.notAfter, now, threshold, challengeWindow);
        status.daysLeft = floorDiv(now.msecsTo(status.notAfter), kMsecsPerDay);
        QStringList warnings;
        if (now < status.notBefore)
            warnings.append(
                QStringLiteral("the certificate is not valid before %1").arg(status.notBefore.toString(Qt::ISODate)));
        if (!credentials.certificate.isSignedBy(credentials.ca))
            warnings.append(QStringLiteral("%1 was not issued by %2 in %3")
                                .arg(CredentialStore::kCertificateFile, CredentialStore::kCaFile, store.directory()));
        status.problem = warnings.join(QLatin1String("; "));
        return status;
    }

    status.problem = loaded.errorMessage();
    status.state = status.enrolled ? CredentialStatus::State::Unreadable : CredentialStatus::State::NotEnrolled;
    if (!status.enrolled)
        return status;

    // Describe what can be read, so that a broken store is not a blank page.
    if (const auto enrollmentJson = readFileLimited(store.enrollmentPath(), kMaxFileBytes); enrollmentJson.ok()) {
        if (const auto info = protocol::decodeEnrollmentInfo(enrollmentJson.value()); info.ok()) {
            status.serverId = info.value().serverId;
            status.fingerprint = info.value().fingerprint;
        }
    }
    if (const auto caPem = readFileLimited(store.caPath(), kMaxFileBytes); caPem.ok())
        status.caPin = caPinOf(caPem.value());
    if (const auto pem = readFileLimited(store.certificatePath(), kMaxFileBytes); pem.ok()) {
        if (const auto certificate = crypto::Certificate::fromPem(pem.value()); certificate.ok()) {
            describeCertificate(status, pem.value(), certificate.value());
            status.daysLeft = floorDiv(now.msecsTo(status.notAfter), kMsecsPerDay);
        }
    }
    return status;
}

} // namespace imprint::device
