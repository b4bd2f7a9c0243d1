#include "common/clock.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "device/credentialstore.h"
#include "device/inspection.h"
#include "support/cryptofixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace imprint;
using namespace imprint::device;
using namespace std::chrono_literals;
using imprint::testing::OpensslWorkspace;
using State = CredentialStatus::State;

Q_DECLARE_METATYPE(CredentialStatus::State)

namespace {

constexpr qint64 kDay = 24 * 60 * 60;

bool writeRaw(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QString stateText(State state)
{
    return stateName(state);
}

} // namespace

class TestInspection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void stateNames();
    void describesEnrolledStore();
    void serialMatchesCryptoAndOpenssl_data();
    void serialMatchesCryptoAndOpenssl();
    void stateAtBoundaries_data();
    void stateAtBoundaries();
    void customThresholdAndWindow();
    void daysLeftRoundsDown();
    void notEnrolled();
    void unreadableStoreStillDescribed();
    void warnsAboutCertificateNotYetValid();
    void refusesBadArguments();

private:
    // Issues a device certificate with the given serial (hex) into a store directory.
    bool makeStore(const QString &directory, const QString &serialHex);
    Result<CredentialStatus> inspectAt(const QDateTime &now, std::chrono::seconds threshold = 30 * 24h,
                                       std::chrono::seconds window = 30 * 24h);

    OpensslWorkspace m_ws;
    QTemporaryDir m_dir;
    QString m_store;
    QDateTime m_notAfter;
    QDateTime m_notBefore;
};

bool TestInspection::makeStore(const QString &directory, const QString &serialHex)
{
    static int counter = 0;
    const QString name = QStringLiteral("dev%1").arg(++counter);
    if (m_ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", name + ".key"}).exitCode != 0 ||
        m_ws.run({"req", "-new", "-key", name + ".key", "-subj", "/CN=srv_4c6f6e6720736572766572206964", "-out",
                  name + ".csr"})
                .exitCode != 0 ||
        m_ws.run({"x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                  "0x" + serialHex, "-days", "365", "-out", name + ".crt"})
                .exitCode != 0)
        return false;
    auto key = crypto::PrivateKey::fromPem(m_ws.read(name + ".key"));
    if (!key.ok())
        return false;
    CredentialStore store(directory);
    return store
        .save(key.value(), m_ws.read(name + ".crt"), m_ws.read(QStringLiteral("ca.crt")),
              {QStringLiteral("srv_4c6f6e6720736572766572206964"),
               QStringLiteral("sha256:edaa40515651ae360a2dc75b5f197005134790fab18636a735702a84af78138e")})
        .ok();
}

Result<CredentialStatus> TestInspection::inspectAt(const QDateTime &now, std::chrono::seconds threshold,
                                                   std::chrono::seconds window)
{
    return inspect(CredentialStore(m_store), now, threshold, window);
}

void TestInspection::initTestCase()
{
    QVERIFY(m_ws.isValid());
    QVERIFY(m_dir.isValid());
    IMPRINT_VERIFY_PROCESS(m_ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ca.key"}));
    IMPRINT_VERIFY_PROCESS(
        m_ws.run({"req", "-x509", "-new", "-key", "ca.key", "-subj", "/O=Imprint CA/CN=Imprint CA", "-days", "7300",
                  "-out", "ca.crt", "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext",
                  "keyUsage=critical,keyCertSign,cRLSign"}));
    m_store = m_dir.filePath(QStringLiteral("store"));
    QVERIFY(makeStore(m_store, QStringLiteral("00c0ffee0123456789")));
    const auto loaded = CredentialStore(m_store).load();
    QVERIFY(loaded.ok());
    m_notAfter = loaded->certificate.notAfter();
    m_notBefore = loaded->certificate.notBefore();
    QVERIFY(m_notAfter.isValid());
}

void TestInspection::stateNames()
{
    QCOMPARE(stateName(State::Valid), QStringLiteral("valid"));
    QCOMPARE(stateName(State::RenewalDue), QStringLiteral("renewal_due"));
    QCOMPARE(stateName(State::ExpiredInWindow), QStringLiteral("expired_in_window"));
    QCOMPARE(stateName(State::ExpiredBeyondWindow), QStringLiteral("expired_beyond_window"));
    QCOMPARE(stateName(State::NotEnrolled), QStringLiteral("not_enrolled"));
    QCOMPARE(stateName(State::Unreadable), QStringLiteral("unreadable"));
}

void TestInspection::describesEnrolledStore()
{
    const ManualClock clock(m_notBefore.addDays(1));
    const auto status = inspectAt(clock.now());
    QVERIFY(status.ok());
    QVERIFY(status->enrolled);
    QCOMPARE(status->state, State::Valid);
    QCOMPARE(status->serverId, QStringLiteral("srv_4c6f6e6720736572766572206964"));
    QCOMPARE(status->fingerprint,
             QStringLiteral("sha256:edaa40515651ae360a2dc75b5f197005134790fab18636a735702a84af78138e"));
    QCOMPARE(status->subject, QStringLiteral("CN=srv_4c6f6e6720736572766572206964"));
    QCOMPARE(status->issuer, QStringLiteral("CN=Imprint CA,O=Imprint CA"));
    QCOMPARE(status->serial, QStringLiteral("c0ffee0123456789"));
    QCOMPARE(status->notAfter, m_notAfter);
    QCOMPARE(status->notBefore, m_notBefore);
    QCOMPARE(status->notAfter.timeSpec(), Qt::UTC);
    QCOMPARE(status->storeDirectory, m_store);
    QVERIFY2(status->problem.isEmpty(), qPrintable(status->problem));
    QCOMPARE(status->daysLeft, 364);

    // CA pin: SHA-256 of the CA's DER, as openssl computes it.
    const auto der = m_ws.run({"x509", "-in", "ca.crt", "-outform", "DER"});
    IMPRINT_VERIFY_PROCESS(der);
    QCOMPARE(status->caPin,
             QStringLiteral("sha256:") +
                 QString::fromLatin1(QCryptographicHash::hash(der.out, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(status->caPin, crypto::Certificate::fromPem(m_ws.read(QStringLiteral("ca.crt"))).value().pin());
}

void TestInspection::serialMatchesCryptoAndOpenssl_data()
{
    QTest::addColumn<QString>("serial");
    QTest::addColumn<QString>("expected");
    QTest::newRow("leading zero byte") << "00ff"
                                       << "ff";
    QTest::newRow("leading zero nibble") << "0a0b0c0d0e0f1011"
                                         << "a0b0c0d0e0f1011";
    QTest::newRow("one") << "01"
                         << "1";
    QTest::newRow("64 bit with high bit") << "f123456789abcdef"
                                          << "f123456789abcdef";
    QTest::newRow("128 bit") << "7fffffffffffffffffffffffffffff01"
                             << "7fffffffffffffffffffffffffffff01";
}

void TestInspection::serialMatchesCryptoAndOpenssl()
{
    QFETCH(QString, serial);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(makeStore(dir.path(), serial));
    const auto status = inspect(CredentialStore(dir.path()), QDateTime::currentDateTimeUtc());
    QVERIFY(status.ok());
    QCOMPARE(status->serial, expected);
    const auto loaded = CredentialStore(dir.path()).load();
    QCOMPARE(status->serial, loaded->certificate.serialHex());
    // The raw Qt form really is the colon-separated one being normalised.
    const QSslCertificate qt(loaded->certificatePem, QSsl::Pem);
    QVERIFY(!qt.isNull());
    QCOMPARE(
        QString::fromLatin1(qt.serialNumber()).remove(u':').toLower().remove(QRegularExpression(QStringLiteral("^0+"))),
        expected);
}

void TestInspection::stateAtBoundaries_data()
{
    QTest::addColumn<qint64>("msecsFromNotAfter");
    QTest::addColumn<State>("state");
    const qint64 day = kDay * 1000;
    QTest::newRow("a year before") << -300 * day << State::Valid;
    QTest::newRow("exactly threshold before (valid)") << -30 * day << State::Valid;
    QTest::newRow("1 ms inside threshold") << -30 * day + 1 << State::RenewalDue;
    QTest::newRow("one day before") << -day << State::RenewalDue;
    QTest::newRow("exactly notAfter (not expired yet)") << qint64(0) << State::RenewalDue;
    QTest::newRow("1 ms after notAfter") << qint64(1) << State::ExpiredInWindow;
    QTest::newRow("exactly window after") << 30 * day << State::ExpiredInWindow;
    QTest::newRow("1 ms beyond window") << 30 * day + 1 << State::ExpiredBeyondWindow;
    QTest::newRow("a year after") << 365 * day << State::ExpiredBeyondWindow;
}

void TestInspection::stateAtBoundaries()
{
    QFETCH(qint64, msecsFromNotAfter);
    QFETCH(State, state);
    ManualClock clock(m_notAfter);
    clock.set(m_notAfter.addMSecs(msecsFromNotAfter));
    const auto status = inspectAt(clock.now());
    QVERIFY(status.ok());
    QCOMPARE(stateText(status->state), stateText(state));
    QVERIFY(status->enrolled);
}

void TestInspection::customThresholdAndWindow()
{
    QCOMPARE(inspectAt(m_notAfter.addSecs(-10 * kDay), 7 * 24h)->state, State::Valid);
    QCOMPARE(inspectAt(m_notAfter.addSecs(-6 * kDay), 7 * 24h)->state, State::RenewalDue);
    QCOMPARE(inspectAt(m_notAfter.addSecs(-1), 0s)->state, State::Valid);
    QCOMPARE(inspectAt(m_notAfter.addSecs(2 * kDay), 30 * 24h, 1 * 24h)->state, State::ExpiredBeyondWindow);
    QCOMPARE(inspectAt(m_notAfter.addSecs(1), 30 * 24h, 0s)->state, State::ExpiredBeyondWindow);
}

void TestInspection::daysLeftRoundsDown()
{
    QCOMPARE(inspectAt(m_notAfter.addSecs(-10 * kDay))->daysLeft, 10);
    QCOMPARE(inspectAt(m_notAfter.addSecs(-10 * kDay + 1))->daysLeft, 9);
    QCOMPARE(inspectAt(m_notAfter.addSecs(-1))->daysLeft, 0);
    QCOMPARE(inspectAt(m_notAfter)->daysLeft, 0);
    QCOMPARE(inspectAt(m_notAfter.addSecs(1))->daysLeft, -1);
    QCOMPARE(inspectAt(m_notAfter.addSecs(kDay))->daysLeft, -1);
    QCOMPARE(inspectAt(m_notAfter.addSecs(kDay + 1))->daysLeft, -2);
}

void TestInspection::notEnrolled()
{
    QTemporaryDir dir;
    const auto absent = inspect(CredentialStore(dir.filePath(QStringLiteral("absent"))), m_notBefore);
    QVERIFY(absent.ok());
    QVERIFY(!absent->enrolled);
    QCOMPARE(absent->state, State::NotEnrolled);
    QVERIFY(absent->serial.isEmpty());
    QVERIFY(!absent->notAfter.isValid());
    QCOMPARE(absent->storeDirectory, dir.filePath(QStringLiteral("absent")));

    // Partly there: the problem names the missing file.
    QVERIFY(makeStore(dir.path(), QStringLiteral("02")));
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("ca.crt"))));
    const auto partial = inspect(CredentialStore(dir.path()), m_notBefore);
    QVERIFY(partial.ok());
    QCOMPARE(partial->state, State::NotEnrolled);
    QVERIFY2(partial->problem.contains(QStringLiteral("ca.crt is missing")), qPrintable(partial->problem));
}

void TestInspection::unreadableStoreStillDescribed()
{
    QTemporaryDir dir;
    QVERIFY(makeStore(dir.path(), QStringLiteral("03")));
    // The key of another enrollment beside the certificate.
    IMPRINT_VERIFY_PROCESS(m_ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "other.key"}));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("client.key")), m_ws.read(QStringLiteral("other.key"))));
    const auto status = inspect(CredentialStore(dir.path()), m_notBefore);
    QVERIFY(status.ok());
    QVERIFY(status->enrolled);
    QCOMPARE(status->state, State::Unreadable);
    QVERIFY2(status->problem.contains(QStringLiteral("client.key does not match client.crt")),
             qPrintable(status->problem));
    QCOMPARE(status->serial, QStringLiteral("3"));
    QCOMPARE(status->serverId, QStringLiteral("srv_4c6f6e6720736572766572206964"));
    QVERIFY(status->notAfter.isValid());
    QVERIFY(status->caPin.startsWith(QLatin1String("sha256:")));

    // A certificate that does not parse at all.
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("client.crt")), "-----BEGIN CERTIFICATE-----\nAAAA\n"));
    const auto broken = inspect(CredentialStore(dir.path()), m_notBefore);
    QVERIFY(broken.ok());
    QCOMPARE(broken->state, State::Unreadable);
    QVERIFY(broken->problem.contains(QStringLiteral("client.crt")));
    QVERIFY(broken->serial.isEmpty());
    QVERIFY(!broken->notAfter.isValid());
}

void TestInspection::warnsAboutCertificateNotYetValid()
{
    const auto status = inspectAt(m_notBefore.addSecs(-60));
    QVERIFY(status.ok());
    QCOMPARE(status->state, State::Valid);
    QVERIFY2(status->problem.contains(QStringLiteral("not valid before")), qPrintable(status->problem));
}

void TestInspection::refusesBadArguments()
{
    QVERIFY(!inspectAt(QDateTime()).ok());
    QVERIFY(!inspectAt(m_notBefore, -1s).ok());
    QVERIFY(!inspectAt(m_notBefore, 1s, -1s).ok());
}

QTEST_GUILESS_MAIN(TestInspection)
#include "tst_inspection.moc"
