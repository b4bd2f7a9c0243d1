#include "device/servicetrust.h"

#include "common/atomicfile.h"
#include "common/logging.h"
#include "crypto/certificate.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QTimer>

namespace imprint::device {

namespace {

constexpr qint64 kMaxCaFileBytes = 1 << 20;

bool signs(const QSslCertificate &issuer, const QSslCertificate &subject)
{
    auto issuerCertificate = crypto::Certificate::fromDer(issuer.toDer());
    auto subjectCertificate = crypto::Certificate::fromDer(subject.toDer());
    return issuerCertificate && subjectCertificate && subjectCertificate->isSignedBy(issuerCertificate.value());
}

QString subjectText(const QSslCertificate &certificate)
{
    auto parsed = crypto::Certificate::fromDer(certificate.toDer());
    return parsed ? parsed->subjectText() : certificate.subjectDisplayName();
}

QString issuerText(const QSslCertificate &certificate)
{
    auto parsed = crypto::Certificate::fromDer(certificate.toDer());
    return parsed ? parsed->issuerText() : certificate.issuerDisplayName();
}

} // namespace

QString certificatePin(const QSslCertificate &certificate)
{
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(certificate.toDer(), QCryptographicHash::Sha256).toHex());
}

TrustProbe::TrustProbe(QUrl url, TrustOptions options, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_options(std::move(options))
{
}

DeviceResult<QList<QSslCertificate>> TrustProbe::configuredCas() const
{
    if (m_options.caFile.isEmpty())
        return QList<QSslCertificate>{};
    auto pem = readFileLimited(m_options.caFile, kMaxCaFileBytes);
    if (!pem)
        return DeviceError::make(DeviceError::Kind::Local, pem.errorMessage());
    const QList<QSslCertificate> cas = QSslCertificate::fromData(pem.value(), QSsl::Pem);
    if (cas.isEmpty())
        return DeviceError::make(DeviceError::Kind::Local,
                                 QStringLiteral("%1 holds no PEM certificate").arg(m_options.caFile));
    return cas;
}

void TrustProbe::start()
{
    if (m_url.scheme() != QLatin1String("https") || m_url.host().isEmpty()) {
        finish(DeviceError::make(DeviceError::Kind::Local,
                                 QStringLiteral("the service URL must start with https://, got \"%1\"")
                                     .arg(m_url.toDisplayString())));
        return;
    }
    const QString pin = m_options.caPin.trimmed().toLower();
    if (!pin.isEmpty() && !QRegularExpression(QStringLiteral("^sha256:[0-9a-f]{64}$")).match(pin).hasMatch()) {
        finish(DeviceError::make(DeviceError::Kind::Local,
                                 QStringLiteral("the CA pin must look like sha256:<64 hex digits>, got \"%1\"")
                                     .arg(m_options.caPin)));
        return;
    }
    auto cas = configuredCas();
    if (!cas) {
        finish(cas.error());
        return;
    }
    m_configuredCas = cas.value();

    m_socket = new QSslSocket(this);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    if (!pin.isEmpty())
        // The pin is checked by hand in onEncrypted(); the usual checks would fail for a
        // private CA that is not yet trusted.
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    else if (!cas.value().isEmpty())
        configuration.setCaCertificates(cas.value());
    m_socket->setSslConfiguration(configuration);

    connect(m_socket, &QSslSocket::encrypted, this, &TrustProbe::onEncrypted);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts << error.errorString();
        finish(DeviceError::make(DeviceError::Kind::Tls,
                                 QStringLiteral("the service at %1 is not trusted: %2")
                                     .arg(m_url.authority(), texts.join(QStringLiteral("; ")))));
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (m_result)
            return;
        const bool tls = error == QAbstractSocket::SslHandshakeFailedError
            || error == QAbstractSocket::SslInternalError || error == QAbstractSocket::SslInvalidUserDataError;
        finish(DeviceError::make(tls ? DeviceError::Kind::Tls : DeviceError::Kind::Network,
                                 QStringLiteral("cannot connect to %1: %2").arg(m_url.authority(), m_socket->errorString())));
    });
    QTimer::singleShot(timeout, this, [this] {
        if (!m_result)
            finish(DeviceError::make(DeviceError::Kind::Timeout,
                                     QStringLiteral("no answer from %1 within %2 s")
                                         .arg(m_url.authority())
                                         .arg(timeout.count() / 1000)));
    });
    m_socket->connectToHostEncrypted(m_url.host(), quint16(m_url.port(443)), m_url.host());
}

void TrustProbe::onEncrypted()
{
    const QList<QSslCertificate> chain = m_socket->peerCertificateChain();
    if (chain.isEmpty()) {
        finish(DeviceError::make(DeviceError::Kind::Tls, QStringLiteral("the service presented no certificate")));
        return;
    }
    const QSslCertificate &leaf = chain.first();
    ServiceTrust trust;
    trust.serviceSubject = subjectText(leaf);
    const QString pin = m_options.caPin.trimmed().toLower();
    if (!pin.isEmpty()) {
        // The CA the service offers for its certificate: one in the chain that signed it,
        // or the certificate itself when it is self-signed.
        const QSslCertificate *presentedCa = nullptr;
        for (const QSslCertificate &certificate : chain) {
            if (!signs(certificate, leaf))
                continue;
            if (certificatePin(certificate) == pin) {
                trust.caCertificates = {certificate};
                trust.caSubject = subjectText(certificate);
                trust.caPin = pin;
                finish(trust);
                return;
            }
            if (!presentedCa)
                presentedCa = &certificate;
        }
        if (!presentedCa) {
            // Servers often send their own certificate alone (Go's crypto/tls does unless
            // told otherwise). A pin of the CA cannot be checked then, and saying that the
            // pin does not match would send the technician after the wrong thing.
            finish(DeviceError::make(
                DeviceError::Kind::CaNotPresented,
                QStringLiteral("the service at %1 sent its own certificate (issued by %2) without the CA "
                               "certificate, so the CA pin cannot be checked")
                    .arg(m_url.authority(), issuerText(leaf))));
            return;
        }
        DeviceError error = DeviceError::make(
            DeviceError::Kind::PinMismatch,
            QStringLiteral("the service's CA does not match the pin: expected %1, found %2")
                .arg(pin, certificatePin(*presentedCa)));
        error.expectedPin = pin;
        error.foundPin = certificatePin(*presentedCa);
        finish(error);
        return;
    }
    // Verified by the TLS layer against the CA file or the system roots. Name the CA that
    // anchors the chain: from the CA file, the one that issued the top of what the service
    // sent (which may be its own certificate alone).
    trust.caCertificates = m_configuredCas;
    const QSslCertificate *anchor = &chain.last();
    for (const QSslCertificate &ca : trust.caCertificates) {
        if (ca == chain.last() || signs(ca, chain.last())) {
            anchor = &ca;
            break;
        }
    }
    trust.caSubject = subjectText(*anchor);
    trust.caPin = certificatePin(*anchor);
    finish(trust);
}

void TrustProbe::cancel()
{
    finish(DeviceError::make(DeviceError::Kind::Cancelled, QStringLiteral("cancelled")));
}

void TrustProbe::finish(DeviceResult<ServiceTrust> result)
{
    if (m_result)
        return;
    m_result = std::move(result);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    emit finished();
}

} // namespace imprint::device
