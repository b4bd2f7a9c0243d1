// The device commands against a running `imprint serve` on loopback: enroll, request,
// status, renew through every tier, and a revoked device. Expiry comes from a clock
// offset shared by the service and the commands, never from waiting.
#include "support/serveprocess.h"
#include "support/testing.h"

#include <QDir>
#include <QJsonArray>
#include <QTcpServer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <QDeadlineTimer>
#include <QProcess>

#include <csignal>
#include <sys/stat.h>

using namespace imprint::testing;

class TestDeviceEndToEnd : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void enrollWithPin();
    void enrollWithCaFile();
    void enrollWithWrongPinWritesNothing();
    void enrollWithWrongSecretFails();
    void enrollWithServiceDownFails();
    void requestUsesDeviceCredentials();
    void renewNothingWhenNotDue();
    void renewTier1SupersedesOldCertificate();
    void renewTier2AfterExpiry();
    void renewTier3AfterKeyLoss();
    void renewTier3WhenNotEnrolled();
    void revokedDeviceDoesNotReenroll();
    void statusReportsState();
    void daemonChecksAndStopsOnSigterm();

private:
    ProcessResult imprint(const QStringList &arguments);
    QStringList deviceArguments(bool withSecret = true) const;
    QJsonObject enrollDevice();
    QString storeDir() const { return m_device->filePath(QStringLiteral("store")); }

    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<QTemporaryDir> m_device;
    QString m_root;
};

void TestDeviceEndToEnd::initTestCase()
{
    ServeProcess::Options options;
    options.extraArguments = {QStringLiteral("--validity"), QStringLiteral("10d"), QStringLiteral("--challenge-window"),
                              QStringLiteral("5d")};
    m_serve = std::make_unique<ServeProcess>(options);
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestDeviceEndToEnd::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

void TestDeviceEndToEnd::init()
{
    m_serve->setClockOffsetSeconds(0);
    m_device = std::make_unique<QTemporaryDir>();
    // Each test is its own machine: a fake root with its own machine-id.
    m_root = m_device->filePath(QStringLiteral("root"));
    QVERIFY(makeMachineRoot(m_root));
}

ProcessResult TestDeviceEndToEnd::imprint(const QStringList &arguments)
{
    return runImprint(arguments, {}, m_serve->environment());
}

QStringList TestDeviceEndToEnd::deviceArguments(bool withSecret) const
{
    QStringList arguments{QStringLiteral("--url"), m_serve->url(), QStringLiteral("--store-dir"), storeDir(),
                          QStringLiteral("--root"), m_root};
    if (withSecret)
        arguments << QStringLiteral("--secret-file") << m_serve->secretFile();
    return arguments;
}

QJsonObject TestDeviceEndToEnd::enrollDevice()
{
    const auto run = imprint(QStringList{QStringLiteral("enroll"), QStringLiteral("--ca-pin"), m_serve->caPin(),
                                         QStringLiteral("--json")}
                             + deviceArguments());
    if (run.exitCode != 0)
        qWarning() << run.out << run.err;
    return QJsonDocument::fromJson(run.out).object();
}

void TestDeviceEndToEnd::enrollWithPin()
{
    const QJsonObject enrolled = enrollDevice();
    QVERIFY(enrolled.value(QStringLiteral("server_id")).toString().startsWith(QStringLiteral("srv_")));
    QCOMPARE(enrolled.value(QStringLiteral("ca_pin")).toString(), m_serve->caPin());
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(storeDir()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    for (const auto &[name, mode] : {std::pair{"client.key", 0600}, std::pair{"client.crt", 0644},
                                     std::pair{"ca.crt", 0644}, std::pair{"enrollment.json", 0644}}) {
        QCOMPARE(::stat(QFile::encodeName(storeDir() + QLatin1Char('/') + QLatin1String(name)).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(mode));
    }
    // The stored CA is the service's CA, byte for byte.
    QFile stored(storeDir() + QStringLiteral("/ca.crt"));
    QFile served(m_serve->caFile());
    QVERIFY(stored.open(QIODevice::ReadOnly) && served.open(QIODevice::ReadOnly));
    QCOMPARE(stored.readAll(), served.readAll());
    // The service knows the device under the reported host name.
    const auto shown = imprint({QStringLiteral("devices"), QStringLiteral("show"),
                                enrolled.value(QStringLiteral("server_id")).toString(), QStringLiteral("--db"),
                                m_serve->databaseUrl(), QStringLiteral("--json")});
    QCOMPARE(shown.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("fingerprint")).toString(),
             enrolled.value(QStringLiteral("fingerprint")).toString());
}

void TestDeviceEndToEnd::enrollWithCaFile()
{
    const auto run = imprint(QStringList{QStringLiteral("enroll"), QStringLiteral("--ca-file"), m_serve->caFile()}
                             + deviceArguments());
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QVERIFY(run.out.contains("[1/5] checking the service's identity"));
    QVERIFY(run.out.contains("enrolled as srv_"));
}

void TestDeviceEndToEnd::enrollWithWrongPinWritesNothing()
{
    const QString wrongPin = QStringLiteral("sha256:") + QString(64, QLatin1Char('0'));
    const auto run = imprint(QStringList{QStringLiteral("enroll"), QStringLiteral("--ca-pin"), wrongPin}
                             + deviceArguments());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(wrongPin.toLatin1()), (run.err).constData());
    QVERIFY2(run.err.contains(m_serve->caPin().toLatin1()), (run.err).constData());
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.key")));
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.crt")));
}

void TestDeviceEndToEnd::enrollWithWrongSecretFails()
{
    const auto run = imprint({QStringLiteral("enroll"), QStringLiteral("--ca-pin"), m_serve->caPin(),
                              QStringLiteral("--url"), m_serve->url(), QStringLiteral("--store-dir"), storeDir(),
                              QStringLiteral("--root"), m_root, QStringLiteral("--secret"), QStringLiteral("wrong")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("401") && run.err.contains("unknown build secret"), (run.err).constData());
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.crt")));
}

void TestDeviceEndToEnd::enrollWithServiceDownFails()
{
    // A port nothing listens on: bind one and close it again.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const quint16 port = server.serverPort();
    server.close();
    const auto run = imprint({QStringLiteral("enroll"), QStringLiteral("--ca-pin"), m_serve->caPin(),
                              QStringLiteral("--url"), QStringLiteral("https://127.0.0.1:%1").arg(port),
                              QStringLiteral("--store-dir"), storeDir(), QStringLiteral("--root"), m_root,
                              QStringLiteral("--secret-file"), m_serve->secretFile()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("cannot connect") && run.err.contains("service is running"), (run.err).constData());
}

void TestDeviceEndToEnd::requestUsesDeviceCredentials()
{
    const QString serverId = enrollDevice().value(QStringLiteral("server_id")).toString();
    const auto run = imprint({QStringLiteral("request"), QStringLiteral("--store-dir"), storeDir(),
                              m_serve->url() + QStringLiteral("/api/v1/device")});
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QVERIFY(run.out.startsWith("status: 200\n"));
    QVERIFY(run.out.contains("x-imprint-cert-expires: "));
    QVERIFY(run.out.contains(serverId.toLatin1()));
    // Without credentials the same request is refused.
    const auto anonymous = imprint({QStringLiteral("request"), QStringLiteral("--store-dir"),
                                    m_device->filePath(QStringLiteral("empty")),
                                    m_serve->url() + QStringLiteral("/api/v1/device")});
    QCOMPARE(anonymous.exitCode, 1);
}

void TestDeviceEndToEnd::renewNothingWhenNotDue()
{
    enrollDevice();
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--threshold"), QStringLiteral("1d"),
                                         QStringLiteral("--json")}
                             + deviceArguments(false));
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("action")).toString(),
             QStringLiteral("none"));
}

void TestDeviceEndToEnd::renewTier1SupersedesOldCertificate()
{
    enrollDevice();
    QFile::copy(storeDir() + QStringLiteral("/client.crt"), m_device->filePath(QStringLiteral("old.crt")));
    QFile::copy(storeDir() + QStringLiteral("/client.key"), m_device->filePath(QStringLiteral("old.key")));
    // Ten-day certificates are always within the default 30-day threshold: tier 1.
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--json")} + deviceArguments(false));
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("action")).toString(),
             QStringLiteral("renewed"));
    // The new certificate works, the old one is refused.
    QCOMPARE(imprint({QStringLiteral("request"), QStringLiteral("--store-dir"), storeDir(),
                      m_serve->url() + QStringLiteral("/api/v1/device")})
                 .exitCode,
             0);
    const auto old = runProcess(QStringLiteral("curl"),
                                {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                 QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("--cacert"),
                                 m_serve->caFile(), QStringLiteral("--cert"), m_device->filePath(QStringLiteral("old.crt")),
                                 QStringLiteral("--key"), m_device->filePath(QStringLiteral("old.key")),
                                 m_serve->url() + QStringLiteral("/api/v1/device")});
    QCOMPARE(old.out, QByteArray("401"));
}

void TestDeviceEndToEnd::renewTier2AfterExpiry()
{
    const QString serverId = enrollDevice().value(QStringLiteral("server_id")).toString();
    // Twelve days on, the ten-day certificate expired two days ago: inside the 5-day window.
    m_serve->setClockOffsetSeconds(12 * 86400);
    const auto status = imprint({QStringLiteral("status"), QStringLiteral("--store-dir"), storeDir(),
                                 QStringLiteral("--challenge-window"), QStringLiteral("5d"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(status.out).object().value(QStringLiteral("state")).toString(),
             QStringLiteral("expired_in_window"));
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--challenge-window"),
                                         QStringLiteral("5d"), QStringLiteral("--json")}
                             + deviceArguments(false));
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("action")).toString(),
             QStringLiteral("challenge_renewed"));
    const auto shown = imprint({QStringLiteral("devices"), QStringLiteral("show"), serverId, QStringLiteral("--db"),
                                m_serve->databaseUrl(), QStringLiteral("--json")});
    const QJsonObject device = QJsonDocument::fromJson(shown.out).object();
    QCOMPARE(device.value(QStringLiteral("certificates")).toArray().first().toObject().value(QStringLiteral("how")).toString(),
             QStringLiteral("challenge"));
}

void TestDeviceEndToEnd::renewTier3AfterKeyLoss()
{
    const QString serverId = enrollDevice().value(QStringLiteral("server_id")).toString();
    QVERIFY(QFile::remove(storeDir() + QStringLiteral("/client.key")));
    const auto withoutSecret = imprint(QStringList{QStringLiteral("renew")} + deviceArguments(false));
    QCOMPARE(withoutSecret.exitCode, 1);
    QVERIFY2(withoutSecret.err.contains("build secret"), (withoutSecret.err).constData());
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--json")} + deviceArguments(true));
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("action")).toString(),
             QStringLiteral("reenrolled"));
    const auto status = imprint({QStringLiteral("status"), QStringLiteral("--store-dir"), storeDir(), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(status.out).object().value(QStringLiteral("server_id")).toString(), serverId);
}

void TestDeviceEndToEnd::renewTier3WhenNotEnrolled()
{
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--ca-pin"), m_serve->caPin(),
                                         QStringLiteral("--json")}
                             + deviceArguments(true));
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("action")).toString(),
             QStringLiteral("reenrolled"));
}

void TestDeviceEndToEnd::revokedDeviceDoesNotReenroll()
{
    const QString serverId = enrollDevice().value(QStringLiteral("server_id")).toString();
    QFile certificate(storeDir() + QStringLiteral("/client.crt"));
    QVERIFY(certificate.open(QIODevice::ReadOnly));
    const QByteArray before = certificate.readAll();
    QCOMPARE(imprint({QStringLiteral("devices"), QStringLiteral("revoke"), serverId, QStringLiteral("--db"),
                      m_serve->databaseUrl()})
                 .exitCode,
             0);
    const auto run = imprint(QStringList{QStringLiteral("renew"), QStringLiteral("--force")} + deviceArguments(true));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("403") && run.err.contains("revoked"), (run.err).constData());
    certificate.seek(0);
    QCOMPARE(certificate.readAll(), before);
}

void TestDeviceEndToEnd::statusReportsState()
{
    const auto empty = imprint({QStringLiteral("status"), QStringLiteral("--store-dir"), storeDir()});
    QCOMPARE(empty.exitCode, 1);
    QVERIFY(empty.out.contains("not enrolled"));
    const QString serverId = enrollDevice().value(QStringLiteral("server_id")).toString();
    const auto run = imprint({QStringLiteral("status"), QStringLiteral("--store-dir"), storeDir(),
                              QStringLiteral("--threshold"), QStringLiteral("1d"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject status = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("valid"));
    QCOMPARE(status.value(QStringLiteral("server_id")).toString(), serverId);
    QCOMPARE(status.value(QStringLiteral("ca_pin")).toString(), m_serve->caPin());
    QCOMPARE(status.value(QStringLiteral("days_left")).toInt(), 9);
    m_serve->setClockOffsetSeconds(40 * 86400);
    const auto late = imprint({QStringLiteral("status"), QStringLiteral("--store-dir"), storeDir(), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(late.out).object().value(QStringLiteral("state")).toString(),
             QStringLiteral("expired_beyond_window"));
}

void TestDeviceEndToEnd::daemonChecksAndStopsOnSigterm()
{
    enrollDevice();
    QProcess daemon;
    daemon.setProcessEnvironment(m_serve->environment());
    daemon.setProcessChannelMode(QProcess::MergedChannels);
    daemon.start(QStringLiteral(IMPRINT_BINARY),
                 QStringList{QStringLiteral("daemon"), QStringLiteral("--interval"), QStringLiteral("1h")}
                     + deviceArguments(false));
    QVERIFY(daemon.waitForStarted(10000));
    // The first check runs at start: ten-day certificates are due, so tier 1 renews.
    QString output;
    QDeadlineTimer deadline(30000);
    while (!output.contains(QStringLiteral("check: action=")) && !output.contains(QStringLiteral("check failed"))
           && !deadline.hasExpired()) {
        daemon.waitForReadyRead(200);
        output += QString::fromUtf8(daemon.readAll());
    }
    QVERIFY2(output.contains(QStringLiteral("check: action=renewed")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("next check at")), qPrintable(output));
    ::kill(pid_t(daemon.processId()), SIGTERM);
    QVERIFY(daemon.waitForFinished(10000));
    output += QString::fromUtf8(daemon.readAll());
    QCOMPARE(daemon.exitStatus(), QProcess::NormalExit);
    QCOMPARE(daemon.exitCode(), 0);
    QVERIFY(output.contains(QStringLiteral("imprint daemon: stopped")));
    // Without --url the daemon refuses to start.
    const auto usage = imprint({QStringLiteral("daemon"), QStringLiteral("--store-dir"), storeDir()});
    QCOMPARE(usage.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestDeviceEndToEnd)
#include "tst_device_e2e.moc"
