// TrustProbe: the first contact with a service, before anything secret is sent. Against
// an in-process TLS server that sends either its certificate with the CA or, as Go's
// crypto/tls does by default, its certificate alone.
#include "authority/certificateauthority.h"
#include "crypto/privatekey.h"
#include "device/servicetrust.h"

#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace imprint;
using device::DeviceError;
using device::TrustOptions;
using device::TrustProbe;

class TestServiceTrust : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pinAcceptedWhenTheChainCarriesTheCa();
    void pinOfAnotherCaIsAMismatchNamingThePresentedCa();
    void pinCannotBeCheckedWhenOnlyTheLeafIsSent();
    void caFileVerifiesALeafOnlyServiceAndNamesTheCa();
    void caFileOfAnotherCaIsRefused();

private:
    // Listens on 127.0.0.1 with the service certificate, and the CA after it if asked.
    std::unique_ptr<QSslServer> listen(bool sendCa);
    device::DeviceResult<device::ServiceTrust> probe(const QSslServer &server, const TrustOptions &options);
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_dir;
    std::shared_ptr<const authority::CertificateAuthority> m_ca;
    std::shared_ptr<const authority::CertificateAuthority> m_otherCa;
    QSslCertificate m_serviceCertificate;
    QSslKey m_serviceKey;
    QString m_serviceSubject;
};

void TestServiceTrust::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto ca = authority::CertificateAuthority::create(m_dir.filePath(QStringLiteral("ca")), QStringLiteral("Trust CA"), now);
    QVERIFY2(ca.ok(), qPrintable(ca.ok() ? QString() : ca.errorMessage()));
    m_ca = ca.value();
    auto other = authority::CertificateAuthority::create(m_dir.filePath(QStringLiteral("other")), QStringLiteral("Other CA"), now);
    QVERIFY(other.ok());
    m_otherCa = other.value();

    auto key = crypto::PrivateKey::generateP256();
    QVERIFY(key.ok());
    auto certificate = m_ca->issueServerCertificate(key->publicKey(), {QStringLiteral("127.0.0.1")},
                                                    std::chrono::hours(24), now);
    QVERIFY2(certificate.ok(), qPrintable(certificate.ok() ? QString() : certificate.errorMessage()));
    m_serviceCertificate = QSslCertificate(certificate->toDer(), QSsl::Der);
    m_serviceSubject = certificate->subjectText();
    m_serviceKey = QSslKey(key->toPem(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!m_serviceCertificate.isNull());
    QVERIFY(!m_serviceKey.isNull());
}

std::unique_ptr<QSslServer> TestServiceTrust::listen(bool sendCa)
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPrivateKey(m_serviceKey);
    QList<QSslCertificate> chain{m_serviceCertificate};
    if (sendCa)
        chain << QSslCertificate(m_ca->certificate().toDer(), QSsl::Der);
    configuration.setLocalCertificateChain(chain);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(configuration);
    if (!server->listen(QHostAddress::LocalHost))
        return nullptr;
    return server;
}

device::DeviceResult<device::ServiceTrust> TestServiceTrust::probe(const QSslServer &server, const TrustOptions &options)
{
    TrustProbe probe(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort())), options);
    QSignalSpy finished(&probe, &TrustProbe::finished);
    probe.start();
    if (!probe.isFinished() && !finished.wait(20000))
        return DeviceError::make(DeviceError::Kind::Timeout, QStringLiteral("the probe did not finish"));
    return probe.result();
}

QString TestServiceTrust::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return file.fileName();
}

void TestServiceTrust::pinAcceptedWhenTheChainCarriesTheCa()
{
    auto server = listen(true);
    QVERIFY(server);
    const auto trust = probe(*server, TrustOptions{m_ca->pin(), {}});
    QVERIFY2(trust.ok(), qPrintable(trust.ok() ? QString() : trust.error().message));
    QCOMPARE(trust->caPin, m_ca->pin());
    QCOMPARE(trust->caCertificates.size(), 1);
    QCOMPARE(trust->caCertificates.first().toDer(), m_ca->certificate().toDer());
    QCOMPARE(trust->caSubject, m_ca->certificate().subjectText());
    QCOMPARE(trust->serviceSubject, m_serviceSubject);
}

void TestServiceTrust::pinOfAnotherCaIsAMismatchNamingThePresentedCa()
{
    auto server = listen(true);
    QVERIFY(server);
    const auto trust = probe(*server, TrustOptions{m_otherCa->pin(), {}});
    QVERIFY(!trust.ok());
    QCOMPARE(trust.error().kind, DeviceError::Kind::PinMismatch);
    QCOMPARE(trust.error().expectedPin, m_otherCa->pin());
    QCOMPARE(trust.error().foundPin, m_ca->pin());
}

void TestServiceTrust::pinCannotBeCheckedWhenOnlyTheLeafIsSent()
{
    auto server = listen(false);
    QVERIFY(server);
    // Even the right pin: without the CA in the handshake there is nothing to compare it
    // with, and calling that a mismatch would blame a pin that is correct.
    const auto trust = probe(*server, TrustOptions{m_ca->pin(), {}});
    QVERIFY(!trust.ok());
    QCOMPARE(trust.error().kind, DeviceError::Kind::CaNotPresented);
    QCOMPARE(device::kindName(trust.error().kind), QStringLiteral("ca_not_presented"));
    const QString message = trust.error().message;
    QVERIFY2(message.contains(QStringLiteral("without the CA certificate")), qPrintable(message));
    QVERIFY2(message.contains(m_ca->certificate().subjectText()), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1").arg(server->serverPort())), qPrintable(message));
    QVERIFY(trust.error().foundPin.isEmpty());
}

void TestServiceTrust::caFileVerifiesALeafOnlyServiceAndNamesTheCa()
{
    auto server = listen(false);
    QVERIFY(server);
    const QString caFile = writeFile(QStringLiteral("ca.pem"), m_ca->certificate().toPem());
    QVERIFY(!caFile.isEmpty());
    const auto trust = probe(*server, TrustOptions{{}, caFile});
    QVERIFY2(trust.ok(), qPrintable(trust.ok() ? QString() : trust.error().message));
    // The CA named is the one from the file, not the service's own certificate at the top
    // of what it sent.
    QCOMPARE(trust->caPin, m_ca->pin());
    QCOMPARE(trust->caSubject, m_ca->certificate().subjectText());
    QCOMPARE(trust->caCertificates.size(), 1);
}

void TestServiceTrust::caFileOfAnotherCaIsRefused()
{
    auto server = listen(false);
    QVERIFY(server);
    const QString caFile = writeFile(QStringLiteral("other.pem"), m_otherCa->certificate().toPem());
    QVERIFY(!caFile.isEmpty());
    const auto trust = probe(*server, TrustOptions{{}, caFile});
    QVERIFY(!trust.ok());
    QCOMPARE(trust.error().kind, DeviceError::Kind::Tls);
    QVERIFY2(trust.error().message.contains(QStringLiteral("not trusted")), qPrintable(trust.error().message));
}

QTEST_GUILESS_MAIN(TestServiceTrust)
#include "tst_servicetrust.moc"
