// The operator commands: imprint ca init/show and imprint devices list/show/revoke/delete,
// run as a user would, on a real CA directory and a real SQLite registry.
#include "storage/registry.h"
#include "support/testing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace imprint;
using namespace imprint::testing;

class TestCliService : public QObject {
    Q_OBJECT

private slots:
    void init();
    void caInitCreatesCaWithModes();
    void caInitRefusesExistingCa();
    void caShowPrintsPinMatchingOpenssl();
    void caShowFailsOnHalfCa();
    void devicesListFiltersAndPrintsJson();
    void devicesShowIncludesHistoryAndEvents();
    void devicesRevokeRecordsReason();
    void devicesDeleteRemovesRecord();
    void devicesTextOutputCannotDriveTheTerminal();
    void usageErrors_data();
    void usageErrors();
    void serveWithoutSecretExplainsHowToGiveOne();

private:
    void addDevice(const QString &serverId, const QString &hostname, storage::DeviceStatus status);
    QString db() const { return QStringLiteral("sqlite://") + m_dir->filePath(QStringLiteral("registry.db")); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCliService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCliService::addDevice(const QString &serverId, const QString &hostname, storage::DeviceStatus status)
{
    auto url = storage::parseDatabaseUrl(db());
    auto registry = storage::Registry::open(url.value(), QStringLiteral("fixture"));
    QVERIFY(registry.ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    storage::DeviceRecord device;
    device.serverId = serverId;
    device.fingerprint = QStringLiteral("sha256:") + serverId;
    device.hostname = hostname;
    device.os = QStringLiteral("linux");
    device.arch = QStringLiteral("arm64");
    device.status = storage::DeviceStatus::Active;
    device.currentSerial = QStringLiteral("abc") + serverId.right(4);
    device.currentNotAfter = now.addDays(100);
    device.enrolledAt = now;
    storage::CertificateRecord certificate;
    certificate.serial = device.currentSerial;
    certificate.serverId = serverId;
    certificate.notBefore = now;
    certificate.notAfter = device.currentNotAfter;
    certificate.issuedAt = now;
    certificate.how = storage::IssuedHow::Enroll;
    storage::EventRecord event;
    event.at = now;
    event.serverId = serverId;
    event.kind = QStringLiteral("enroll");
    event.actor = QStringLiteral("device");
    auto written = registry.value()->recordEnrollment(device, certificate, true, event);
    QVERIFY(written.ok() && written.value() == storage::WriteOutcome::Done);
    if (status == storage::DeviceStatus::Revoked)
        QVERIFY(registry.value()->revoke(serverId, QStringLiteral("lost"), QStringLiteral("test"), now).ok());
}

void TestCliService::devicesTextOutputCannotDriveTheTerminal()
{
    // A record written before enrollment refused such names (or by other means): an
    // escape sequence that would clear the screen, and a right-to-left override.
    const QString hostile = QStringLiteral("kiosk\x1b[2J\u202Eevil");
    addDevice(QStringLiteral("srv_0000000000000001"), hostile, storage::DeviceStatus::Active);
    for (const QStringList &command : {QStringList{QStringLiteral("devices"), QStringLiteral("list")},
                                       QStringList{QStringLiteral("devices"), QStringLiteral("show"),
                                                   QStringLiteral("srv_0000000000000001")}}) {
        const auto shown = runImprint(command + QStringList{QStringLiteral("--db"), db()});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY2(!shown.out.contains('\x1b') && !shown.out.contains("\u202E"), shown.out.constData());
        QVERIFY2(shown.out.contains("kiosk\xEF\xBF\xBD[2J\xEF\xBF\xBD" "evil"), shown.out.constData());
    }
    // JSON keeps the stored value exactly; its escaping makes it harmless.
    const auto json = runImprint({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--db"), db(),
                                  QStringLiteral("--json")});
    QVERIFY(!json.out.contains('\x1b'));
    QCOMPARE(QJsonDocument::fromJson(json.out).array().first().toObject().value(QStringLiteral("hostname")).toString(),
             hostile);
}

void TestCliService::caInitCreatesCaWithModes()
{
    const QString dir = m_dir->filePath(QStringLiteral("ca"));
    const auto made = runImprint({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--ca-dir"), dir,
                                  QStringLiteral("--org"), QStringLiteral("Kiosk Fleet"), QStringLiteral("--json")});
    QVERIFY2(made.exitCode == 0, (made.err).constData());
    const QJsonObject shown = QJsonDocument::fromJson(made.out).object();
    QCOMPARE(shown.value(QStringLiteral("organization")).toString(), QStringLiteral("Kiosk Fleet"));
    QVERIFY(shown.value(QStringLiteral("pin")).toString().startsWith(QStringLiteral("sha256:")));
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(dir).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    QCOMPARE(::stat(QFile::encodeName(dir + QStringLiteral("/ca.key")).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
    QCOMPARE(::stat(QFile::encodeName(dir + QStringLiteral("/ca.crt")).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0644));
    QFile key(dir + QStringLiteral("/ca.key"));
    QVERIFY(key.open(QIODevice::ReadOnly));
    QVERIFY(key.readAll().startsWith("-----BEGIN EC PRIVATE KEY-----"));

    const auto text = runOpenssl({QStringLiteral("x509"), QStringLiteral("-in"), dir + QStringLiteral("/ca.crt"),
                                  QStringLiteral("-noout"), QStringLiteral("-text")});
    const QString dump = QString::fromLatin1(text.out);
    QVERIFY(dump.contains(QStringLiteral("Subject: O = Kiosk Fleet, CN = Kiosk Fleet")));
    QVERIFY(dump.contains(QStringLiteral("CA:TRUE, pathlen:0")));
    QVERIFY(dump.contains(QStringLiteral("Certificate Sign, CRL Sign")));
    QVERIFY(dump.contains(QStringLiteral("ASN1 OID: prime256v1")));
}

void TestCliService::caInitRefusesExistingCa()
{
    const QString dir = m_dir->filePath(QStringLiteral("ca"));
    QCOMPARE(runImprint({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--ca-dir"), dir}).exitCode, 0);
    QFile crt(dir + QStringLiteral("/ca.crt"));
    QVERIFY(crt.open(QIODevice::ReadOnly));
    const QByteArray before = crt.readAll();
    const auto again = runImprint({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--ca-dir"), dir});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("never replaced"));
    crt.seek(0);
    QCOMPARE(crt.readAll(), before);
}

void TestCliService::caShowPrintsPinMatchingOpenssl()
{
    const QString dir = m_dir->filePath(QStringLiteral("ca"));
    QCOMPARE(runImprint({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--ca-dir"), dir}).exitCode, 0);
    const auto shown = runImprint({QStringLiteral("ca"), QStringLiteral("show"), QStringLiteral("--ca-dir"), dir,
                                   QStringLiteral("--json")});
    QCOMPARE(shown.exitCode, 0);
    const QString pin = QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("pin")).toString();
    const auto fingerprint = runOpenssl({QStringLiteral("x509"), QStringLiteral("-in"), dir + QStringLiteral("/ca.crt"),
                                         QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
                                         QStringLiteral("-sha256")});
    QString expected = QString::fromLatin1(fingerprint.out).section(QLatin1Char('='), 1).trimmed();
    expected = QStringLiteral("sha256:") + expected.remove(QLatin1Char(':')).toLower();
    QCOMPARE(pin, expected);

    const auto text = runImprint({QStringLiteral("ca"), QStringLiteral("show"), QStringLiteral("--ca-dir"), dir});
    QVERIFY(text.out.contains(pin.toLatin1()));
    const auto pem = runImprint({QStringLiteral("ca"), QStringLiteral("show"), QStringLiteral("--ca-dir"), dir,
                                 QStringLiteral("--pem")});
    QFile crt(dir + QStringLiteral("/ca.crt"));
    QVERIFY(crt.open(QIODevice::ReadOnly));
    QCOMPARE(pem.out, crt.readAll());
}

void TestCliService::caShowFailsOnHalfCa()
{
    const QString dir = m_dir->filePath(QStringLiteral("ca"));
    QCOMPARE(runImprint({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--ca-dir"), dir}).exitCode, 0);
    QVERIFY(QFile::remove(dir + QStringLiteral("/ca.key")));
    const auto shown = runImprint({QStringLiteral("ca"), QStringLiteral("show"), QStringLiteral("--ca-dir"), dir});
    QCOMPARE(shown.exitCode, 1);
    QVERIFY2(shown.err.contains("ca.key"), (shown.err).constData());
    // serve must not silently create a new CA beside the orphaned certificate either.
    const auto serve = runImprint({QStringLiteral("serve"), QStringLiteral("--ca-dir"), dir, QStringLiteral("--db"), db(),
                                   QStringLiteral("--secret"), QStringLiteral("s"), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:0")});
    QCOMPARE(serve.exitCode, 1);
    QVERIFY(serve.err.contains("ca.key"));
    QVERIFY(!QFile::exists(dir + QStringLiteral("/ca.key")));
}

void TestCliService::devicesListFiltersAndPrintsJson()
{
    addDevice(QStringLiteral("srv_aaaa"), QStringLiteral("kiosk-north"), storage::DeviceStatus::Active);
    addDevice(QStringLiteral("srv_bbbb"), QStringLiteral("kiosk-south"), storage::DeviceStatus::Revoked);
    const auto all = runImprint({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--db"), db(),
                                 QStringLiteral("--json")});
    QVERIFY2(all.exitCode == 0, (all.err).constData());
    QCOMPARE(QJsonDocument::fromJson(all.out).array().size(), 2);
    const auto revoked = runImprint({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--db"), db(),
                                     QStringLiteral("--status"), QStringLiteral("revoked"), QStringLiteral("--json")});
    const QJsonArray rows = QJsonDocument::fromJson(revoked.out).array();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).toObject().value(QStringLiteral("server_id")).toString(), QStringLiteral("srv_bbbb"));
    QCOMPARE(rows.at(0).toObject().value(QStringLiteral("revoke_reason")).toString(), QStringLiteral("lost"));
    const auto text = runImprint({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--db"), db(),
                                  QStringLiteral("--search"), QStringLiteral("north")});
    QVERIFY(text.out.contains("kiosk-north"));
    QVERIFY(!text.out.contains("kiosk-south"));
    QVERIFY(text.out.startsWith("SERVER_ID"));
}

void TestCliService::devicesShowIncludesHistoryAndEvents()
{
    addDevice(QStringLiteral("srv_cccc"), QStringLiteral("kiosk-east"), storage::DeviceStatus::Active);
    const auto shown = runImprint({QStringLiteral("devices"), QStringLiteral("show"), QStringLiteral("srv_cccc"),
                                   QStringLiteral("--db"), db(), QStringLiteral("--json")});
    QVERIFY2(shown.exitCode == 0, (shown.err).constData());
    const QJsonObject device = QJsonDocument::fromJson(shown.out).object();
    QCOMPARE(device.value(QStringLiteral("hostname")).toString(), QStringLiteral("kiosk-east"));
    QCOMPARE(device.value(QStringLiteral("certificates")).toArray().size(), 1);
    QCOMPARE(device.value(QStringLiteral("certificates")).toArray().at(0).toObject().value(QStringLiteral("how")).toString(),
             QStringLiteral("enroll"));
    QVERIFY(device.value(QStringLiteral("events")).toArray().size() >= 1);
    const auto missing = runImprint({QStringLiteral("devices"), QStringLiteral("show"), QStringLiteral("srv_none"),
                                     QStringLiteral("--db"), db()});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("srv_none"));
}

void TestCliService::devicesRevokeRecordsReason()
{
    addDevice(QStringLiteral("srv_dddd"), QStringLiteral("kiosk-west"), storage::DeviceStatus::Active);
    const auto revoked = runImprint({QStringLiteral("devices"), QStringLiteral("revoke"), QStringLiteral("srv_dddd"),
                                     QStringLiteral("--db"), db(), QStringLiteral("--reason"),
                                     QStringLiteral("screen smashed"), QStringLiteral("--json")});
    QVERIFY2(revoked.exitCode == 0, (revoked.err).constData());
    QCOMPARE(QJsonDocument::fromJson(revoked.out).object().value(QStringLiteral("status")).toString(),
             QStringLiteral("revoked"));
    const auto shown = runImprint({QStringLiteral("devices"), QStringLiteral("show"), QStringLiteral("srv_dddd"),
                                   QStringLiteral("--db"), db(), QStringLiteral("--json")});
    const QJsonObject device = QJsonDocument::fromJson(shown.out).object();
    QCOMPARE(device.value(QStringLiteral("status")).toString(), QStringLiteral("revoked"));
    QCOMPARE(device.value(QStringLiteral("revoke_reason")).toString(), QStringLiteral("screen smashed"));
    bool found = false;
    for (const auto &event : device.value(QStringLiteral("events")).toArray())
        found |= event.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("revoke")
            && event.toObject().value(QStringLiteral("detail")).toString().contains(QStringLiteral("screen smashed"));
    QVERIFY(found);
    const auto again = runImprint({QStringLiteral("devices"), QStringLiteral("revoke"), QStringLiteral("srv_dddd"),
                                   QStringLiteral("--db"), db()});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("already revoked"));
}

void TestCliService::devicesDeleteRemovesRecord()
{
    addDevice(QStringLiteral("srv_eeee"), QStringLiteral("kiosk-old"), storage::DeviceStatus::Active);
    const auto deleted = runImprint({QStringLiteral("devices"), QStringLiteral("delete"), QStringLiteral("srv_eeee"),
                                     QStringLiteral("--db"), db()});
    QVERIFY2(deleted.exitCode == 0, (deleted.err).constData());
    QCOMPARE(runImprint({QStringLiteral("devices"), QStringLiteral("show"), QStringLiteral("srv_eeee"),
                         QStringLiteral("--db"), db()})
                 .exitCode,
             1);
    QCOMPARE(runImprint({QStringLiteral("devices"), QStringLiteral("delete"), QStringLiteral("srv_eeee"),
                         QStringLiteral("--db"), db()})
                 .exitCode,
             1);
}

void TestCliService::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("devices show without id") << QStringList{QStringLiteral("devices"), QStringLiteral("show")};
    QTest::newRow("unknown status") << QStringList{QStringLiteral("devices"), QStringLiteral("list"),
                                                   QStringLiteral("--status"), QStringLiteral("sleepy")};
    QTest::newRow("unknown devices verb") << QStringList{QStringLiteral("devices"), QStringLiteral("frobnicate")};
    QTest::newRow("ca without verb") << QStringList{QStringLiteral("ca")};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("ca"), QStringLiteral("show"), QStringLiteral("--bogus")};
    QTest::newRow("bad validity") << QStringList{QStringLiteral("serve"), QStringLiteral("--secret"), QStringLiteral("s"),
                                                 QStringLiteral("--validity"), QStringLiteral("365")};
    QTest::newRow("bad listen") << QStringList{QStringLiteral("serve"), QStringLiteral("--secret"), QStringLiteral("s"),
                                               QStringLiteral("--listen"), QStringLiteral("nowhere")};
}

void TestCliService::usageErrors()
{
    QFETCH(QStringList, arguments);
    const auto run = runImprint(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
}

void TestCliService::serveWithoutSecretExplainsHowToGiveOne()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("IMPRINT_BUILD_SECRET"));
    const auto run = runImprint({QStringLiteral("serve"), QStringLiteral("--ca-dir"), m_dir->filePath(QStringLiteral("ca")),
                                 QStringLiteral("--db"), db()},
                                {}, environment);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("--secret-file") && run.err.contains("IMPRINT_BUILD_SECRET"), (run.err).constData());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("ca/ca.key"))));
}

QTEST_GUILESS_MAIN(TestCliService)
#include "tst_cli_service.moc"
