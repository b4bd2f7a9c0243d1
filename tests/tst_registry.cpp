// The device registry, run twice: every test function once against a fresh SQLite file
// and once against a fresh database on a real PostgreSQL server (global data "backend").

#include "service/registrypool.h"
#include "storage/lastseenrecorder.h"
#include "storage/registry.h"
#include "support/postgresserver.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <latch>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace imprint;
using namespace imprint::storage;

#define CHECK_OK(expression)                                                                                           \
    do {                                                                                                               \
        const auto &check_ = (expression);                                                                             \
        if (!check_.ok())                                                                                              \
            QFAIL(qPrintable(check_.errorMessage()));                                                                  \
    } while (false)

#define CHECK_OUTCOME(expression, expected)                                                                            \
    do {                                                                                                               \
        const auto outcome_ = (expression);                                                                            \
        if (!outcome_.ok())                                                                                            \
            QFAIL(qPrintable(outcome_.errorMessage()));                                                                \
        QCOMPARE(toString(outcome_.value()), toString(expected));                                                      \
    } while (false)

namespace {

const QDateTime T0(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

QString serverIdFor(int n)
{
    return QStringLiteral("srv_") +
           QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(n), QCryptographicHash::Md5).toHex());
}

QString fingerprintFor(int n)
{
    return QStringLiteral("sha256:") +
           QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(n), QCryptographicHash::Sha256).toHex());
}

struct Enrollment {
    DeviceRecord device;
    CertificateRecord certificate;
    EventRecord event;
};

Enrollment enrollment(int n, const QString &serial, const QDateTime &at, int validDays = 365)
{
    Enrollment e;
    e.device.serverId = serverIdFor(n);
    e.device.fingerprint = fingerprintFor(n);
    e.device.hostname = QStringLiteral("host-%1").arg(n);
    e.device.os = QStringLiteral("linux");
    e.device.arch = QStringLiteral("amd64");
    e.device.enrolledAt = at;
    e.certificate = CertificateRecord{
        serial, e.device.serverId, at.addSecs(-300), at.addDays(validDays), at, IssuedHow::Enroll, {}};
    e.event = EventRecord{
        0, at, e.device.serverId, EventKind::Enroll, QStringLiteral("device"), QStringLiteral("192.0.2.1"), {}};
    return e;
}

// A new device n presenting the fingerprint of device `owner`: an enrollment that lost the
// race for that fingerprint.
Enrollment sameFingerprintAs(int owner, int n, const QString &serial, const QDateTime &at)
{
    Enrollment e = enrollment(owner, serial, at);
    e.device.serverId = serverIdFor(n);
    e.certificate.serverId = e.device.serverId;
    e.event.serverId = e.device.serverId;
    return e;
}

CertificateRecord renewalCertificate(const QString &serverId, const QString &serial, const QDateTime &at,
                                     IssuedHow how = IssuedHow::Renew)
{
    return CertificateRecord{serial, serverId, at.addSecs(-300), at.addDays(365), at, how, {}};
}

EventRecord eventAt(const QString &serverId, const QString &kind, const QDateTime &at, const QString &detail = {})
{
    return EventRecord{0, at, serverId, kind, QStringLiteral("device"), QStringLiteral("192.0.2.7"), detail};
}

QStringList serverIds(const QList<DeviceRecord> &devices)
{
    QStringList ids;
    for (const DeviceRecord &device : devices)
        ids.append(device.serverId);
    return ids;
}

QStringList kinds(const QList<EventRecord> &events)
{
    QStringList list;
    for (const EventRecord &e : events)
        list.append(e.kind);
    return list;
}

// One statement on a connection of its own, beside the registry's; the first column of
// the first row, if any.
Result<QVariant> rawSql(const DatabaseUrl &url, const QString &sql)
{
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("raw-%1").arg(counter++);
    Result<QVariant> result = QVariant();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(
            url.backend == DatabaseUrl::Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
        if (url.backend == DatabaseUrl::Backend::Sqlite) {
            db.setDatabaseName(url.path);
        } else {
            db.setHostName(url.host);
            db.setPort(url.port);
            db.setUserName(url.user);
            db.setDatabaseName(url.database);
        }
        if (!db.open()) {
            result = Error{db.lastError().text()};
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                result = Error{query.lastError().text()};
            else if (query.isSelect() && query.next())
                result = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace

class TestRegistry : public QObject {
    Q_OBJECT

private:
    bool isPostgres() const { return m_url.backend == DatabaseUrl::Backend::Postgres; }
    // A fresh, empty database of the current backend (not yet migrated).
    Result<DatabaseUrl> freshDatabase();
    void enroll(int n, const QString &serial, const QDateTime &at);

    imprint::testing::PostgresServer m_postgres;
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_databases;
    DatabaseUrl m_url;
    std::unique_ptr<Registry> m_registry;

private slots:
    void initTestCase_data();
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void migratesFreshDatabase();
    void reopenKeepsDataWithoutRemigrating();
    void upgradesVersion1();
    void refusesNewerSchema();
    void concurrentFirstOpenMigratesOnce();
    void backendSpecifics();
    void closedRegistryFails();
    void lostConnectionIsReported();
    void poolReplacesLostConnection();

    void enrollNewDevice();
    void reenrollKeepsIdentity();
    void reenrollUnknownOrRevoked();
    void sameFingerprintTwiceConflicts();
    void writesOfOneProcessTakeTurns();
    void invalidWritesAreRefused();

    void renewWithCurrentSerial();
    void renewWithStaleSerialIsSuperseded();
    void renewRevokedOrUnknown();
    void revokeDevice();
    void deleteKeepsEvents();
    void readsSeeEveryCommittedWrite();
    void certificateHistoryNewestFirst();
    void eventsNewestFirst();

    void filterByStatus();
    void filterBySearch_data();
    void filterBySearch();
    void filterByExpiry();
    void sortByEachColumn_data();
    void sortByEachColumn();
    void paging();
    void countByStatus();
    void expiriesPerWeek();

    void recordLastSeenKeepsLatest();
    void lastSeenRecorderCoalesces();
    void lastSeenRecorderRestoresAfterFailedFlush();
    void lastSeenRecorderAcrossThreads();

    void concurrentEnrollmentOfSameFingerprint();
    void concurrentRenewalWithSameSerial();
};

void TestRegistry::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

void TestRegistry::initTestCase()
{
    const Status started = m_postgres.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.errorMessage()));
    qInfo("PostgreSQL %s ready in %lld ms (%s)", m_postgres.isExternal() ? "server" : "test server",
          m_postgres.startupMilliseconds(), qPrintable(m_postgres.adminUrl().display()));
}

void TestRegistry::cleanupTestCase()
{
    QElapsedTimer timer;
    timer.start();
    m_postgres.stop();
    qInfo("PostgreSQL stopped in %lld ms", timer.elapsed());
}

Result<DatabaseUrl> TestRegistry::freshDatabase()
{
    QFETCH_GLOBAL(QString, backend);
    if (backend == QLatin1String("sqlite")) {
        static int counter = 0;
        return parseDatabaseUrl(m_dir->filePath(QStringLiteral("registry-%1.db").arg(++counter)));
    }
    auto url = m_postgres.createDatabase();
    if (url)
        m_databases.append(url->database);
    return url;
}

void TestRegistry::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto url = freshDatabase();
    CHECK_OK(url);
    m_url = url.value();
    auto registry = Registry::open(m_url, QStringLiteral("test"));
    CHECK_OK(registry);
    m_registry = std::move(registry.value());
}

void TestRegistry::cleanup()
{
    m_registry.reset();
    for (const QString &name : std::as_const(m_databases)) {
        const Status dropped = m_postgres.dropDatabase(name);
        if (!dropped)
            qWarning("%s", qPrintable(dropped.errorMessage()));
    }
    m_databases.clear();
    m_dir.reset();
}

void TestRegistry::enroll(int n, const QString &serial, const QDateTime &at)
{
    const Enrollment e = enrollment(n, serial, at);
    CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
}

// ---- schema ------------------------------------------------------------------------

void TestRegistry::migratesFreshDatabase()
{
    auto version = m_registry->schemaVersion();
    CHECK_OK(version);
    QCOMPARE(version.value(), Registry::latestSchemaVersion());
    QVERIFY(Registry::latestSchemaVersion() >= 1);
    auto rows = rawSql(m_url, QStringLiteral("SELECT COUNT(*) FROM schema_version"));
    CHECK_OK(rows);
    QCOMPARE(rows->toInt(), Registry::latestSchemaVersion());
    for (const char *table : {"devices", "certificates", "events", "enrollment_tokens"})
        CHECK_OK(rawSql(m_url, QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))));
    auto devices = m_registry->devices({});
    CHECK_OK(devices);
    QVERIFY(devices->isEmpty());
}

void TestRegistry::reopenKeepsDataWithoutRemigrating()
{
    enroll(1, QStringLiteral("a1"), T0);
    m_registry.reset();
    auto reopened = Registry::open(m_url);
    CHECK_OK(reopened);
    m_registry = std::move(reopened.value());
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QVERIFY(device->has_value());
    QCOMPARE(device->value().currentSerial, QStringLiteral("a1"));
    auto rows = rawSql(m_url, QStringLiteral("SELECT COUNT(*) FROM schema_version"));
    CHECK_OK(rows);
    QCOMPARE(rows->toInt(), Registry::latestSchemaVersion());
}

// A registry written by a build with schema version 1 gains the sort indexes of version
// 2 on open and keeps its data.
void TestRegistry::upgradesVersion1()
{
    enroll(1, QStringLiteral("a1"), T0);
    for (const char *index : {"devices_status_order", "devices_os", "devices_last_address"})
        CHECK_OK(rawSql(m_url, QStringLiteral("DROP INDEX %1").arg(QLatin1String(index))));
    CHECK_OK(rawSql(m_url, QStringLiteral("DELETE FROM schema_version WHERE version = 2")));
    m_registry.reset();
    auto reopened = Registry::open(m_url);
    CHECK_OK(reopened);
    m_registry = std::move(reopened.value());
    auto version = m_registry->schemaVersion();
    CHECK_OK(version);
    QCOMPARE(version.value(), 2);
    const QString indexQuery = isPostgres()
        ? QStringLiteral("SELECT COUNT(*) FROM pg_indexes WHERE indexname IN "
                         "('devices_status_order', 'devices_os', 'devices_last_address')")
        : QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                         "('devices_status_order', 'devices_os', 'devices_last_address')");
    auto indexes = rawSql(m_url, indexQuery);
    CHECK_OK(indexes);
    QCOMPARE(indexes->toInt(), 3);
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QVERIFY(device->has_value());
}

void TestRegistry::refusesNewerSchema()
{
    const int newer = Registry::latestSchemaVersion() + 1;
    CHECK_OK(
        rawSql(m_url, QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (%1, 0)").arg(newer)));
    m_registry.reset();
    auto refused = Registry::open(m_url);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.errorMessage().contains(QStringLiteral("schema version %1, newer").arg(newer)),
             qPrintable(refused.errorMessage()));
    QVERIFY(refused.errorMessage().contains(QStringLiteral("upgrade Imprint")));
}

void TestRegistry::concurrentFirstOpenMigratesOnce()
{
    // Like several service processes started at once on a new database.
    auto url = freshDatabase();
    CHECK_OK(url);
    constexpr int kOpeners = 4;
    std::latch start(kOpeners);
    std::vector<QString> errors(kOpeners);
    std::vector<std::thread> threads;
    for (int i = 0; i < kOpeners; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto registry = Registry::open(url.value(), QStringLiteral("opener-%1").arg(i));
            if (!registry)
                errors[i] = registry.errorMessage();
        });
    }
    for (auto &thread : threads)
        thread.join();
    for (const QString &error : errors)
        QVERIFY2(error.isEmpty(), qPrintable(error));
    auto rows = rawSql(url.value(), QStringLiteral("SELECT COUNT(*) FROM schema_version"));
    CHECK_OK(rows);
    QCOMPARE(rows->toInt(), Registry::latestSchemaVersion());
}

void TestRegistry::backendSpecifics()
{
    if (!isPostgres()) {
        auto journal = rawSql(m_url, QStringLiteral("PRAGMA journal_mode"));
        CHECK_OK(journal);
        QCOMPARE(journal->toString(), QStringLiteral("wal"));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(m_url.path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        // Missing parent directories are made, private to the service's user.
        ::umask(022);
        auto nested =
            parseDatabaseUrl(QStringLiteral("sqlite://") + m_dir->filePath(QStringLiteral("a/b/registry.db")));
        CHECK_OK(nested);
        auto registry = Registry::open(nested.value());
        CHECK_OK(registry);
        enroll(1, QStringLiteral("a1"), T0); // writes create the -wal file
        QCOMPARE(::stat(QFile::encodeName(m_dir->filePath(QStringLiteral("a/b"))).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0700));
        QCOMPARE(::stat(QFile::encodeName(nested->path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        QCOMPARE(::stat(QFile::encodeName(m_url.path + QStringLiteral("-wal")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        // A file that is not a database is a clear error.
        QFile junk(m_dir->filePath(QStringLiteral("junk.db")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        auto refused = Registry::open(parseDatabaseUrl(junk.fileName()).value());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.errorMessage().contains(junk.fileName()), qPrintable(refused.errorMessage()));
    } else {
        // The same database through the Unix socket, as ?host=/dir.
        if (m_postgres.isExternal())
            return;
        const QString text = QStringLiteral("postgresql://imprint@/%1?host=%2&port=%3")
                                 .arg(m_url.database, m_postgres.socketDirectory())
                                 .arg(m_url.port);
        auto url = parseDatabaseUrl(text);
        CHECK_OK(url);
        auto registry = Registry::open(url.value());
        CHECK_OK(registry);
        enroll(1, QStringLiteral("a1"), T0);
        auto device = registry.value()->deviceByServerId(serverIdFor(1));
        CHECK_OK(device);
        QVERIFY(device->has_value());

        // A server that is not there: a clear error naming it, no password.
        DatabaseUrl nowhere = m_url;
        nowhere.port = 1;
        nowhere.password = QStringLiteral("s3cret");
        auto refused = Registry::open(nowhere);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.errorMessage().contains(
                     QStringLiteral("cannot open the registry postgresql://imprint@127.0.0.1:1/")),
                 qPrintable(refused.errorMessage()));
        QVERIFY(!refused.errorMessage().contains(QStringLiteral("s3cret")));
    }
}

void TestRegistry::closedRegistryFails()
{
    QVERIFY(m_registry->isOpen());
    m_registry->close();
    QVERIFY(!m_registry->isOpen());
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    QVERIFY(!device.ok());
    QVERIFY2(device.errorMessage().contains(QStringLiteral("closed")), qPrintable(device.errorMessage()));
    const Enrollment e = enrollment(1, QStringLiteral("a1"), T0);
    QVERIFY(!m_registry->recordEnrollment(e.device, e.certificate, true, e.event).ok());
    QVERIFY(!m_registry->recordLastSeen({LastSeen{serverIdFor(1), T0, {}}}).ok());
}

// ---- enrollment ----------------------------------------------------------------------

// The database server drops the connection (restart, failover, an operator's
// pg_terminate_backend): the registry says so, so that its owner can open a new one.
void TestRegistry::lostConnectionIsReported()
{
    enroll(1, QStringLiteral("a1"), T0);
    QVERIFY(!m_registry->connectionLost());
    if (!isPostgres())
        QSKIP("an embedded SQLite database has no connection to lose");
    CHECK_OK(rawSql(m_url, QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")));
    auto lost = m_registry->deviceByServerId(serverIdFor(1));
    QVERIFY(!lost.ok());
    qInfo("%s", qPrintable(lost.errorMessage()));
    QVERIFY(m_registry->connectionLost());
    auto again = m_registry->deviceByServerId(serverIdFor(1));
    QVERIFY(!again.ok());
    QVERIFY(m_registry->connectionLost());

    auto reopened = Registry::open(m_url, QStringLiteral("reopened"));
    CHECK_OK(reopened);
    auto device = reopened.value()->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QVERIFY(device->has_value());
    QVERIFY(!reopened.value()->connectionLost());
}

void TestRegistry::poolReplacesLostConnection()
{
    if (!isPostgres())
        QSKIP("an embedded SQLite database has no connection to lose");
    enroll(1, QStringLiteral("a1"), T0);
    imprint::service::RegistryPool pool(m_url);
    auto first = pool.forCurrentThread();
    CHECK_OK(first);
    CHECK_OK(first.value()->deviceByServerId(serverIdFor(1)));
    CHECK_OK(rawSql(m_url, QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")));
    // The request that meets the dropped connection fails ...
    QVERIFY(!first.value()->deviceByServerId(serverIdFor(1)).ok());
    // ... and the next one on this thread gets a working connection.
    auto second = pool.forCurrentThread();
    CHECK_OK(second);
    QVERIFY(!second.value()->connectionLost());
    auto device = second.value()->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QVERIFY(device->has_value());
    pool.releaseCurrentThread();
}

void TestRegistry::enrollNewDevice()
{
    Enrollment e = enrollment(1, QStringLiteral("1f2e3d"), T0);
    e.device.lastSeenAt = T0;
    e.device.lastAddress = QStringLiteral("192.0.2.1");
    CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);

    for (const bool byFingerprint : {false, true}) {
        auto found = byFingerprint ? m_registry->deviceByFingerprint(e.device.fingerprint)
                                   : m_registry->deviceByServerId(e.device.serverId);
        CHECK_OK(found);
        QVERIFY(found->has_value());
        const DeviceRecord &device = found->value();
        QCOMPARE(device.serverId, e.device.serverId);
        QCOMPARE(device.fingerprint, e.device.fingerprint);
        QCOMPARE(device.hostname, QStringLiteral("host-1"));
        QCOMPARE(device.os, QStringLiteral("linux"));
        QCOMPARE(device.arch, QStringLiteral("amd64"));
        QCOMPARE(toString(device.status), toString(DeviceStatus::Active));
        QCOMPARE(device.currentSerial, QStringLiteral("1f2e3d"));
        QCOMPARE(device.currentNotAfter, T0.addDays(365));
        QCOMPARE(device.currentNotAfter.timeSpec(), Qt::UTC);
        QCOMPARE(device.enrolledAt, T0);
        QVERIFY(device.renewedAt.isNull());
        QCOMPARE(device.lastSeenAt, T0);
        QCOMPARE(device.lastAddress, QStringLiteral("192.0.2.1"));
        QVERIFY(device.revokedAt.isNull());
        QVERIFY(device.revokeReason.isEmpty());
    }

    auto certificate = m_registry->certificateBySerial(QStringLiteral("1f2e3d"));
    CHECK_OK(certificate);
    QVERIFY(certificate->has_value());
    QCOMPARE(certificate->value().serverId, e.device.serverId);
    QCOMPARE(certificate->value().notBefore, T0.addSecs(-300));
    QCOMPARE(certificate->value().notAfter, T0.addDays(365));
    QCOMPARE(certificate->value().issuedAt, T0);
    QCOMPARE(toString(certificate->value().how), toString(IssuedHow::Enroll));
    QVERIFY(certificate->value().revokedAt.isNull());

    auto events = m_registry->events(e.device.serverId, -1);
    CHECK_OK(events);
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->at(0).kind, QStringLiteral("enroll"));
    QCOMPARE(events->at(0).actor, QStringLiteral("device"));
    QCOMPARE(events->at(0).address, QStringLiteral("192.0.2.1"));
    QCOMPARE(events->at(0).at, T0);
    QVERIFY(events->at(0).id > 0);

    auto unknown = m_registry->deviceByServerId(serverIdFor(2));
    CHECK_OK(unknown);
    QVERIFY(!unknown->has_value());
    auto unknownFingerprint = m_registry->deviceByFingerprint(fingerprintFor(2));
    CHECK_OK(unknownFingerprint);
    QVERIFY(!unknownFingerprint->has_value());
    auto unknownSerial = m_registry->certificateBySerial(QStringLiteral("ffff"));
    CHECK_OK(unknownSerial);
    QVERIFY(!unknownSerial->has_value());
}

void TestRegistry::reenrollKeepsIdentity()
{
    enroll(1, QStringLiteral("a1"), T0);
    const QDateTime later = T0.addDays(400);
    Enrollment again = enrollment(1, QStringLiteral("b2"), later);
    again.device.hostname = QStringLiteral("renamed");
    again.device.os = QStringLiteral("freebsd");
    again.device.enrolledAt = later; // ignored: the first enrollment counts
    again.certificate.how = IssuedHow::Reenroll;
    again.event.kind = EventKind::Reenroll;
    CHECK_OUTCOME(m_registry->recordEnrollment(again.device, again.certificate, false, again.event),
                  WriteOutcome::Done);

    auto found = m_registry->deviceByFingerprint(fingerprintFor(1));
    CHECK_OK(found);
    QVERIFY(found->has_value());
    const DeviceRecord &device = found->value();
    QCOMPARE(device.serverId, serverIdFor(1));
    QCOMPARE(device.enrolledAt, T0);
    QCOMPARE(device.currentSerial, QStringLiteral("b2"));
    QCOMPARE(device.currentNotAfter, later.addDays(365));
    QCOMPARE(device.hostname, QStringLiteral("renamed"));
    QCOMPARE(device.os, QStringLiteral("freebsd"));
    QCOMPARE(toString(device.status), toString(DeviceStatus::Active));
    QVERIFY(device.renewedAt.isNull());

    auto certificates = m_registry->certificates(serverIdFor(1));
    CHECK_OK(certificates);
    QCOMPARE(certificates->size(), 2);
    QCOMPARE(certificates->at(0).serial, QStringLiteral("b2"));
    QCOMPARE(toString(certificates->at(0).how), toString(IssuedHow::Reenroll));
    QCOMPARE(certificates->at(1).serial, QStringLiteral("a1"));
    QVERIFY(certificates->at(1).revokedAt.isNull()); // superseded, not revoked
    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(kinds(events.value()), (QStringList{QStringLiteral("reenroll"), QStringLiteral("enroll")}));
}

void TestRegistry::reenrollUnknownOrRevoked()
{
    enroll(1, QStringLiteral("a1"), T0);

    Enrollment unknown = enrollment(2, QStringLiteral("b2"), T0);
    CHECK_OUTCOME(m_registry->recordEnrollment(unknown.device, unknown.certificate, false, unknown.event),
                  WriteOutcome::NotFound);

    Enrollment wrongFingerprint = enrollment(1, QStringLiteral("c3"), T0);
    wrongFingerprint.device.fingerprint = fingerprintFor(3);
    CHECK_OUTCOME(m_registry->recordEnrollment(wrongFingerprint.device, wrongFingerprint.certificate, false,
                                               wrongFingerprint.event),
                  WriteOutcome::NotFound);

    CHECK_OUTCOME(
        m_registry->revoke(serverIdFor(1), QStringLiteral("stolen"), QStringLiteral("operator:ann"), T0.addDays(1)),
        WriteOutcome::Done);
    Enrollment afterRevoke = enrollment(1, QStringLiteral("d4"), T0.addDays(2));
    CHECK_OUTCOME(m_registry->recordEnrollment(afterRevoke.device, afterRevoke.certificate, false, afterRevoke.event),
                  WriteOutcome::Revoked);

    // Nothing of the refused attempts was written.
    for (const char *serial : {"b2", "c3", "d4"}) {
        auto certificate = m_registry->certificateBySerial(QLatin1String(serial));
        CHECK_OK(certificate);
        QVERIFY2(!certificate->has_value(), serial);
    }
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QCOMPARE(device->value().currentSerial, QStringLiteral("a1"));
    QCOMPARE(toString(device->value().status), toString(DeviceStatus::Revoked));
    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(kinds(events.value()), (QStringList{QStringLiteral("revoke"), QStringLiteral("enroll")}));
}

void TestRegistry::sameFingerprintTwiceConflicts()
{
    enroll(1, QStringLiteral("a1"), T0);

    // A second "new" device with the fingerprint of the first (a concurrent enrollment
    // that lost the race).
    const Enrollment loser = sameFingerprintAs(1, 2, QStringLiteral("b2"), T0.addSecs(1));
    CHECK_OUTCOME(m_registry->recordEnrollment(loser.device, loser.certificate, true, loser.event),
                  WriteOutcome::Conflict);

    // The same server_id again, with another fingerprint.
    Enrollment sameId = enrollment(1, QStringLiteral("c3"), T0.addSecs(2));
    sameId.device.fingerprint = fingerprintFor(3);
    CHECK_OUTCOME(m_registry->recordEnrollment(sameId.device, sameId.certificate, true, sameId.event),
                  WriteOutcome::Conflict);

    // A serial that exists already: the certificate insert fails, the device insert is undone.
    Enrollment sameSerial = enrollment(4, QStringLiteral("a1"), T0.addSecs(3));
    CHECK_OUTCOME(m_registry->recordEnrollment(sameSerial.device, sameSerial.certificate, true, sameSerial.event),
                  WriteOutcome::Conflict);

    auto count = m_registry->countDevices({});
    CHECK_OK(count);
    QCOMPARE(count.value(), qint64(1));
    for (const char *serial : {"b2", "c3"}) {
        auto certificate = m_registry->certificateBySerial(QLatin1String(serial));
        CHECK_OK(certificate);
        QVERIFY2(!certificate->has_value(), serial);
    }
    auto fourth = m_registry->deviceByServerId(serverIdFor(4));
    CHECK_OK(fourth);
    QVERIFY(!fourth->has_value());
    auto events = m_registry->recentEvents(-1);
    CHECK_OK(events);
    QCOMPARE(events->size(), 1);

    // The registry is usable after the rolled-back transactions.
    enroll(5, QStringLiteral("e5"), T0.addSecs(4));
}

// Writers of one process to one SQLite file queue on one gate: every way a write ends
// (done, conflict, superseded) lets the next writer of another connection in at once; a
// gate left held would make it fail after the busy timeout instead.
void TestRegistry::writesOfOneProcessTakeTurns()
{
    auto other = Registry::open(m_url, QStringLiteral("other"));
    CHECK_OK(other);
    enroll(1, QStringLiteral("a1"), T0);
    Enrollment second = enrollment(2, QStringLiteral("b2"), T0);
    CHECK_OUTCOME(other.value()->recordEnrollment(second.device, second.certificate, true, second.event),
                  WriteOutcome::Done);

    const Enrollment loser = sameFingerprintAs(1, 3, QStringLiteral("c3"), T0.addSecs(1));
    CHECK_OUTCOME(m_registry->recordEnrollment(loser.device, loser.certificate, true, loser.event),
                  WriteOutcome::Conflict);
    CHECK_OUTCOME(other.value()->revoke(serverIdFor(2), QStringLiteral("test"), QStringLiteral("operator:t"),
                                        T0.addDays(1)),
                  WriteOutcome::Done);

    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("stale"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("d4"), T0.addDays(2)),
                                            eventAt(serverIdFor(1), EventKind::Renew, T0.addDays(2))),
                  WriteOutcome::Superseded);
    Enrollment third = enrollment(5, QStringLiteral("e5"), T0.addDays(3));
    CHECK_OUTCOME(other.value()->recordEnrollment(third.device, third.certificate, true, third.event),
                  WriteOutcome::Done);

    // And from several threads at once, each with its own connection.
    std::vector<std::thread> writers;
    std::atomic<int> done{0};
    for (int t = 0; t < 4; ++t) {
        writers.emplace_back([&, t] {
            auto registry = Registry::open(m_url, QStringLiteral("writer-%1").arg(t));
            if (!registry)
                return;
            for (int i = 0; i < 10; ++i) {
                Enrollment e = enrollment(100 + t * 10 + i, QStringLiteral("f%1").arg(t * 10 + i), T0);
                auto written = registry.value()->recordEnrollment(e.device, e.certificate, true, e.event);
                if (written && written.value() == WriteOutcome::Done)
                    ++done;
            }
        });
    }
    for (std::thread &writer : writers)
        writer.join();
    QCOMPARE(done.load(), 40);
}

void TestRegistry::invalidWritesAreRefused()
{
    Enrollment e = enrollment(1, QStringLiteral("a1"), T0);
    e.certificate.serverId = serverIdFor(2);
    QVERIFY(!m_registry->recordEnrollment(e.device, e.certificate, true, e.event).ok());
    e = enrollment(1, QStringLiteral("a1"), T0);
    e.event.at = QDateTime();
    QVERIFY(!m_registry->recordEnrollment(e.device, e.certificate, true, e.event).ok());
    e = enrollment(1, QStringLiteral("a1"), T0);
    e.device.fingerprint.clear();
    QVERIFY(!m_registry->recordEnrollment(e.device, e.certificate, true, e.event).ok());
    QVERIFY(!m_registry->recordEvent(EventRecord{}).ok());
    DeviceFilter filter;
    filter.limit = -2;
    QVERIFY(!m_registry->devices(filter).ok());
    filter = {};
    filter.expiredOnly = true; // without `now`
    QVERIFY(!m_registry->devices(filter).ok());
    QVERIFY(!m_registry->expiriesPerWeek(T0, 0).ok());
    auto count = m_registry->countDevices({});
    CHECK_OK(count);
    QCOMPARE(count.value(), qint64(0));
}

// ---- renewal, revocation, deletion ------------------------------------------------------

void TestRegistry::renewWithCurrentSerial()
{
    enroll(1, QStringLiteral("a1"), T0);
    const QDateTime at = T0.addDays(340);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("b2"), at),
                                            eventAt(serverIdFor(1), EventKind::Renew, at)),
                  WriteOutcome::Done);
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QCOMPARE(device->value().currentSerial, QStringLiteral("b2"));
    QCOMPARE(device->value().currentNotAfter, at.addDays(365));
    QCOMPARE(device->value().renewedAt, at);
    QCOMPARE(device->value().enrolledAt, T0);
    auto certificate = m_registry->certificateBySerial(QStringLiteral("b2"));
    CHECK_OK(certificate);
    QCOMPARE(toString(certificate->value().how), toString(IssuedHow::Renew));
    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(kinds(events.value()), (QStringList{QStringLiteral("renew"), QStringLiteral("enroll")}));

    // Tier 2 goes through the same call.
    const QDateTime later = at.addDays(370);
    CHECK_OUTCOME(
        m_registry->recordRenewal(serverIdFor(1), QStringLiteral("b2"),
                                  renewalCertificate(serverIdFor(1), QStringLiteral("c3"), later, IssuedHow::Challenge),
                                  eventAt(serverIdFor(1), EventKind::ChallengeRenew, later)),
        WriteOutcome::Done);
    certificate = m_registry->certificateBySerial(QStringLiteral("c3"));
    CHECK_OK(certificate);
    QCOMPARE(toString(certificate->value().how), toString(IssuedHow::Challenge));
}

void TestRegistry::renewWithStaleSerialIsSuperseded()
{
    enroll(1, QStringLiteral("a1"), T0);
    const QDateTime at = T0.addDays(340);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("b2"), at),
                                            eventAt(serverIdFor(1), EventKind::Renew, at)),
                  WriteOutcome::Done);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("c3"), at.addSecs(1)),
                                            eventAt(serverIdFor(1), EventKind::Renew, at.addSecs(1))),
                  WriteOutcome::Superseded);
    auto certificate = m_registry->certificateBySerial(QStringLiteral("c3"));
    CHECK_OK(certificate);
    QVERIFY(!certificate->has_value());
    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QCOMPARE(device->value().currentSerial, QStringLiteral("b2"));
    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(events->size(), 2);
}

void TestRegistry::renewRevokedOrUnknown()
{
    enroll(1, QStringLiteral("a1"), T0);
    CHECK_OUTCOME(
        m_registry->revoke(serverIdFor(1), QStringLiteral("lost"), QStringLiteral("operator:ann"), T0.addDays(1)),
        WriteOutcome::Done);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("b2"), T0.addDays(2)),
                                            eventAt(serverIdFor(1), EventKind::Renew, T0.addDays(2))),
                  WriteOutcome::Revoked);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(7), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(7), QStringLiteral("c3"), T0.addDays(2)),
                                            eventAt(serverIdFor(7), EventKind::Renew, T0.addDays(2))),
                  WriteOutcome::NotFound);
    for (const char *serial : {"b2", "c3"}) {
        auto certificate = m_registry->certificateBySerial(QLatin1String(serial));
        CHECK_OK(certificate);
        QVERIFY(!certificate->has_value());
    }
}

void TestRegistry::revokeDevice()
{
    enroll(1, QStringLiteral("a1"), T0);
    enroll(2, QStringLiteral("f1"), T0);
    CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), QStringLiteral("a1"),
                                            renewalCertificate(serverIdFor(1), QStringLiteral("b2"), T0.addDays(300)),
                                            eventAt(serverIdFor(1), EventKind::Renew, T0.addDays(300))),
                  WriteOutcome::Done);
    const QDateTime at = T0.addDays(301);
    CHECK_OUTCOME(
        m_registry->revoke(serverIdFor(1), QStringLiteral("laptop stolen"), QStringLiteral("operator:ann"), at),
        WriteOutcome::Done);

    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QCOMPARE(toString(device->value().status), toString(DeviceStatus::Revoked));
    QCOMPARE(device->value().revokedAt, at);
    QCOMPARE(device->value().revokeReason, QStringLiteral("laptop stolen"));
    auto certificates = m_registry->certificates(serverIdFor(1));
    CHECK_OK(certificates);
    QCOMPARE(certificates->size(), 2);
    for (const CertificateRecord &certificate : certificates.value())
        QCOMPARE(certificate.revokedAt, at);
    // Other devices are untouched.
    auto other = m_registry->certificateBySerial(QStringLiteral("f1"));
    CHECK_OK(other);
    QVERIFY(other->value().revokedAt.isNull());
    auto otherDevice = m_registry->deviceByServerId(serverIdFor(2));
    CHECK_OK(otherDevice);
    QCOMPARE(toString(otherDevice->value().status), toString(DeviceStatus::Active));

    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(kinds(events.value()),
             (QStringList{QStringLiteral("revoke"), QStringLiteral("renew"), QStringLiteral("enroll")}));
    QCOMPARE(events->at(0).actor, QStringLiteral("operator:ann"));
    QCOMPARE(events->at(0).detail, QStringLiteral("laptop stolen"));
    QCOMPARE(events->at(0).at, at);

    // Again: nothing changes, no second event.
    CHECK_OUTCOME(
        m_registry->revoke(serverIdFor(1), QStringLiteral("again"), QStringLiteral("operator:bob"), at.addDays(1)),
        WriteOutcome::Revoked);
    events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(events->size(), 3);
    device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QCOMPARE(device->value().revokedAt, at);
    QCOMPARE(device->value().revokeReason, QStringLiteral("laptop stolen"));

    CHECK_OUTCOME(m_registry->revoke(serverIdFor(9), QStringLiteral("x"), QStringLiteral("operator:ann"), at),
                  WriteOutcome::NotFound);
}

// deviceByServerId answers the guard on every request and may keep rows on SQLite; a
// write by this connection, by another Registry or by any other client of the database must
// show in the very next read.
void TestRegistry::readsSeeEveryCommittedWrite()
{
    enroll(1, QStringLiteral("a1"), T0);
    const QString id = serverIdFor(1);
    // An empty record when the read fails or finds nothing, so that the comparisons fail.
    const auto read = [&]() -> DeviceRecord {
        auto device = m_registry->deviceByServerId(id);
        if (!device) {
            qWarning("%s", qPrintable(device.errorMessage()));
            return {};
        }
        return device.value().value_or(DeviceRecord{});
    };
    QCOMPARE(read().currentSerial, QStringLiteral("a1"));
    QCOMPARE(read().currentSerial, QStringLiteral("a1"));

    // This connection's own write.
    CHECK_OUTCOME(m_registry->recordRenewal(id, QStringLiteral("a1"),
                                            renewalCertificate(id, QStringLiteral("b2"), T0.addDays(300)),
                                            eventAt(id, EventKind::Renew, T0.addDays(300))),
                  WriteOutcome::Done);
    QCOMPARE(read().currentSerial, QStringLiteral("b2"));

    // Another registry connection (another service process or `imprint devices revoke`).
    auto other = Registry::open(m_url, QStringLiteral("other"));
    CHECK_OK(other);
    CHECK_OUTCOME(other.value()->revoke(id, QStringLiteral("stolen"), QStringLiteral("operator:ann"), T0.addDays(301)),
                  WriteOutcome::Done);
    QCOMPARE(toString(read().status), toString(DeviceStatus::Revoked));

    // A client that is not a Registry at all.
    CHECK_OK(rawSql(m_url, QStringLiteral("UPDATE devices SET hostname = 'renamed' WHERE server_id = '%1'").arg(id)));
    QCOMPARE(read().hostname, QStringLiteral("renamed"));

    CHECK_OUTCOME(other.value()->deleteDevice(id, QStringLiteral("operator:ann"), T0.addDays(302)), WriteOutcome::Done);
    auto gone = m_registry->deviceByServerId(id);
    CHECK_OK(gone);
    QVERIFY(!gone->has_value());
}

void TestRegistry::deleteKeepsEvents()
{
    enroll(1, QStringLiteral("a1"), T0);
    enroll(2, QStringLiteral("b1"), T0);
    const QDateTime at = T0.addDays(10);
    CHECK_OUTCOME(m_registry->deleteDevice(serverIdFor(1), QStringLiteral("operator:ann"), at), WriteOutcome::Done);

    auto device = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(device);
    QVERIFY(!device->has_value());
    auto byFingerprint = m_registry->deviceByFingerprint(fingerprintFor(1));
    CHECK_OK(byFingerprint);
    QVERIFY(!byFingerprint->has_value());
    auto certificates = m_registry->certificates(serverIdFor(1));
    CHECK_OK(certificates);
    QVERIFY(certificates->isEmpty());
    auto certificate = m_registry->certificateBySerial(QStringLiteral("a1"));
    CHECK_OK(certificate);
    QVERIFY(!certificate->has_value());

    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QCOMPARE(kinds(events.value()), (QStringList{QStringLiteral("delete"), QStringLiteral("enroll")}));
    QCOMPARE(events->at(0).actor, QStringLiteral("operator:ann"));
    QVERIFY(events->at(0).detail.contains(fingerprintFor(1)));
    QVERIFY(events->at(0).detail.contains(QStringLiteral("host-1")));

    auto remaining = m_registry->countDevices({});
    CHECK_OK(remaining);
    QCOMPARE(remaining.value(), qint64(1));
    CHECK_OUTCOME(m_registry->deleteDevice(serverIdFor(1), QStringLiteral("operator:ann"), at), WriteOutcome::NotFound);

    // The fingerprint can enroll afresh.
    enroll(1, QStringLiteral("c1"), at.addDays(1));
}

void TestRegistry::certificateHistoryNewestFirst()
{
    enroll(1, QStringLiteral("a1"), T0);
    QString previous = QStringLiteral("a1");
    for (int i = 1; i <= 3; ++i) {
        const QString serial = QStringLiteral("b%1").arg(i);
        const QDateTime at = T0.addDays(300 * i);
        CHECK_OUTCOME(m_registry->recordRenewal(serverIdFor(1), previous,
                                                renewalCertificate(serverIdFor(1), serial, at),
                                                eventAt(serverIdFor(1), EventKind::Renew, at)),
                      WriteOutcome::Done);
        previous = serial;
    }
    auto certificates = m_registry->certificates(serverIdFor(1));
    CHECK_OK(certificates);
    QStringList serials;
    for (const CertificateRecord &certificate : certificates.value())
        serials.append(certificate.serial);
    QCOMPARE(serials,
             (QStringList{QStringLiteral("b3"), QStringLiteral("b2"), QStringLiteral("b1"), QStringLiteral("a1")}));
    auto none = m_registry->certificates(serverIdFor(2));
    CHECK_OK(none);
    QVERIFY(none->isEmpty());
}

void TestRegistry::eventsNewestFirst()
{
    enroll(1, QStringLiteral("a1"), T0);
    enroll(2, QStringLiteral("b1"), T0.addSecs(1));
    // Out of time order, and two at the same second (then the later insert is newer).
    CHECK_OK(m_registry->recordEvent(
        eventAt(serverIdFor(1), EventKind::RejectedRenew, T0.addDays(3), QStringLiteral("three"))));
    CHECK_OK(m_registry->recordEvent(
        eventAt(serverIdFor(1), EventKind::RejectedRenew, T0.addDays(1), QStringLiteral("one"))));
    CHECK_OK(m_registry->recordEvent(
        eventAt(serverIdFor(1), EventKind::RejectedRenew, T0.addDays(2), QStringLiteral("two-a"))));
    CHECK_OK(m_registry->recordEvent(
        eventAt(serverIdFor(1), EventKind::RejectedRenew, T0.addDays(2), QStringLiteral("two-b"))));
    // A rejected enrollment names no device.
    CHECK_OK(m_registry->recordEvent(
        eventAt(QString(), EventKind::RejectedEnroll, T0.addDays(4), QStringLiteral("bad secret"))));

    auto events = m_registry->events(serverIdFor(1), -1);
    CHECK_OK(events);
    QStringList details;
    for (const EventRecord &e : events.value())
        details.append(e.detail);
    QCOMPARE(details, (QStringList{QStringLiteral("three"), QStringLiteral("two-b"), QStringLiteral("two-a"),
                                   QStringLiteral("one"), QString()}));
    QCOMPARE(events->at(0).address, QStringLiteral("192.0.2.7"));

    auto limited = m_registry->events(serverIdFor(1), 2);
    CHECK_OK(limited);
    QCOMPARE(limited->size(), 2);
    QCOMPARE(limited->at(1).detail, QStringLiteral("two-b"));

    auto recent = m_registry->recentEvents(3);
    CHECK_OK(recent);
    QCOMPARE(recent->size(), 3);
    QCOMPARE(recent->at(0).kind, QStringLiteral("rejected_enroll"));
    QVERIFY(recent->at(0).serverId.isEmpty());
    QCOMPARE(recent->at(1).detail, QStringLiteral("three"));
    auto all = m_registry->recentEvents(-1);
    CHECK_OK(all);
    QCOMPARE(all->size(), 7);
    QCOMPARE(all->last().serverId, serverIdFor(1));
}

// ---- the console's queries ----------------------------------------------------------------

void TestRegistry::filterByStatus()
{
    for (int n = 1; n <= 5; ++n)
        enroll(n, QStringLiteral("a%1").arg(n), T0);
    Enrollment pending = enrollment(6, QStringLiteral("a6"), T0);
    pending.device.status = DeviceStatus::Pending;
    CHECK_OUTCOME(m_registry->recordEnrollment(pending.device, pending.certificate, true, pending.event),
                  WriteOutcome::Done);
    CHECK_OUTCOME(m_registry->revoke(serverIdFor(2), {}, QStringLiteral("operator:ann"), T0), WriteOutcome::Done);
    CHECK_OUTCOME(m_registry->revoke(serverIdFor(4), {}, QStringLiteral("operator:ann"), T0), WriteOutcome::Done);

    DeviceFilter filter;
    filter.sort = DeviceFilter::Sort::Hostname;
    filter.status = DeviceStatus::Revoked;
    auto revoked = m_registry->devices(filter);
    CHECK_OK(revoked);
    QCOMPARE(serverIds(revoked.value()), (QStringList{serverIdFor(2), serverIdFor(4)}));
    filter.status = DeviceStatus::Active;
    auto active = m_registry->devices(filter);
    CHECK_OK(active);
    QCOMPARE(serverIds(active.value()), (QStringList{serverIdFor(1), serverIdFor(3), serverIdFor(5)}));
    filter.status = DeviceStatus::Pending;
    auto pendingOnly = m_registry->devices(filter);
    CHECK_OK(pendingOnly);
    QCOMPARE(serverIds(pendingOnly.value()), QStringList{serverIdFor(6)});
    QCOMPARE(toString(pendingOnly->at(0).status), toString(DeviceStatus::Pending));
    auto count = m_registry->countDevices(filter);
    CHECK_OK(count);
    QCOMPARE(count.value(), qint64(1));
}

void TestRegistry::filterBySearch_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("hostname substring") << QStringLiteral("web") << QList<int>{1, 2};
    QTest::newRow("hostname, other case") << QStringLiteral("WEB-0") << QList<int>{1, 2};
    QTest::newRow("server_id prefix") << serverIdFor(3).left(12) << QList<int>{3};
    QTest::newRow("server_id, upper case") << serverIdFor(3).toUpper() << QList<int>{3};
    QTest::newRow("fingerprint part") << fingerprintFor(4).mid(20, 16) << QList<int>{4};
    QTest::newRow("current serial") << QStringLiteral("c0ffee") << QList<int>{5};
    QTest::newRow("current serial, upper case") << QStringLiteral("C0FFEE") << QList<int>{5};
    QTest::newRow("old serial, exact, colons") << QStringLiteral("0D:EA:D1") << QList<int>{5};
    QTest::newRow("percent is literal") << QStringLiteral("100%") << QList<int>{3};
    QTest::newRow("underscore is literal") << QStringLiteral("db_1") << QList<int>{4};
    QTest::newRow("escape character is literal") << QStringLiteral("x!y") << QList<int>{6};
    QTest::newRow("no match") << QStringLiteral("nothing-like-this") << QList<int>{};
    QTest::newRow("blank is no filter") << QStringLiteral("  ") << QList<int>{1, 2, 3, 4, 5, 6, 7};
}

void TestRegistry::filterBySearch()
{
    QFETCH(QString, search);
    QFETCH(QList<int>, expected);
    const QStringList hostnames{QStringLiteral("web-01"),  QStringLiteral("Web-02"), QStringLiteral("load 100%"),
                                QStringLiteral("db_1"),    QStringLiteral("mail"),   QStringLiteral("x!y"),
                                QStringLiteral("dbx1 100")};
    for (int n = 1; n <= hostnames.size(); ++n) {
        Enrollment e = enrollment(n, QStringLiteral("%1").arg(n, 0, 16), T0);
        e.device.hostname = hostnames.at(n - 1);
        if (n == 5)
            e.certificate.serial = QStringLiteral("dead1");
        CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
    }
    CHECK_OUTCOME(
        m_registry->recordRenewal(serverIdFor(5), QStringLiteral("dead1"),
                                  renewalCertificate(serverIdFor(5), QStringLiteral("ac0ffee"), T0.addDays(1)),
                                  eventAt(serverIdFor(5), EventKind::Renew, T0.addDays(1))),
        WriteOutcome::Done);

    DeviceFilter filter;
    filter.search = search;
    filter.sort = DeviceFilter::Sort::ServerId;
    auto found = m_registry->devices(filter);
    CHECK_OK(found);
    QStringList expectedIds;
    for (const int n : expected)
        expectedIds.append(serverIdFor(n));
    expectedIds.sort();
    QCOMPARE(serverIds(found.value()), expectedIds);
    auto count = m_registry->countDevices(filter);
    CHECK_OK(count);
    QCOMPARE(count.value(), qint64(expected.size()));
}

void TestRegistry::filterByExpiry()
{
    // Device n's certificate expires n*10 days after T0 (n = 1..5).
    for (int n = 1; n <= 5; ++n) {
        Enrollment e = enrollment(n, QStringLiteral("a%1").arg(n), T0, n * 10);
        CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
    }
    DeviceFilter filter;
    filter.sort = DeviceFilter::Sort::CurrentNotAfter;
    filter.now = T0.addDays(20); // device 2 expires exactly now: expired
    filter.expiringWithinSeconds = 20 * 86400;
    auto expiring = m_registry->devices(filter);
    CHECK_OK(expiring);
    QCOMPARE(serverIds(expiring.value()), (QStringList{serverIdFor(3), serverIdFor(4)}));
    auto count = m_registry->countDevices(filter);
    CHECK_OK(count);
    QCOMPARE(count.value(), qint64(2));

    filter.expiringWithinSeconds.reset();
    filter.expiredOnly = true;
    auto expired = m_registry->devices(filter);
    CHECK_OK(expired);
    QCOMPARE(serverIds(expired.value()), (QStringList{serverIdFor(1), serverIdFor(2)}));

    filter.expiredOnly = false;
    filter.expiringWithinSeconds = 0;
    auto none = m_registry->devices(filter);
    CHECK_OK(none);
    QVERIFY(none->isEmpty());

    // Combined with a status.
    CHECK_OUTCOME(m_registry->revoke(serverIdFor(3), {}, QStringLiteral("operator:ann"), T0), WriteOutcome::Done);
    filter.expiringWithinSeconds = 20 * 86400;
    filter.status = DeviceStatus::Active;
    auto activeExpiring = m_registry->devices(filter);
    CHECK_OK(activeExpiring);
    QCOMPARE(serverIds(activeExpiring.value()), QStringList{serverIdFor(4)});
}

void TestRegistry::sortByEachColumn_data()
{
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    const QList<QPair<const char *, DeviceFilter::Sort>> columns{
        {"server_id", DeviceFilter::Sort::ServerId},
        {"hostname", DeviceFilter::Sort::Hostname},
        {"fingerprint", DeviceFilter::Sort::Fingerprint},
        {"status", DeviceFilter::Sort::Status},
        {"os", DeviceFilter::Sort::Os},
        {"arch", DeviceFilter::Sort::Arch},
        {"current_serial", DeviceFilter::Sort::CurrentSerial},
        {"current_not_after", DeviceFilter::Sort::CurrentNotAfter},
        {"enrolled_at", DeviceFilter::Sort::EnrolledAt},
        {"renewed_at", DeviceFilter::Sort::RenewedAt},
        {"last_seen_at", DeviceFilter::Sort::LastSeenAt},
        {"last_address", DeviceFilter::Sort::LastAddress},
    };
    for (const auto &[name, sort] : columns) {
        QTest::addRow("%s asc", name) << int(sort) << false;
        QTest::addRow("%s desc", name) << int(sort) << true;
    }
}

void TestRegistry::sortByEachColumn()
{
    QFETCH(int, sort);
    QFETCH(bool, descending);
    // Values chosen to repeat (ties broken by server_id) and to be missing (never renewed,
    // never seen: the smallest), with mixed case (byte order on both backends).
    constexpr int kDevices = 12;
    for (int n = 0; n < kDevices; ++n) {
        Enrollment e = enrollment(n, QStringLiteral("%1").arg(0x100 + (n * 7) % kDevices, 0, 16),
                                  T0.addDays((n * 5) % 7), 30 + (n * 3) % 5);
        e.device.hostname = QList<QString>{QStringLiteral("alpha"), QStringLiteral("Beta"), QStringLiteral("beta"),
                                           QStringLiteral("gamma")}
                                .at(n % 4);
        e.device.os = n % 3 ? QStringLiteral("linux") : QStringLiteral("windows");
        e.device.arch = n % 2 ? QStringLiteral("arm64") : QStringLiteral("amd64");
        if (n % 4 == 1)
            e.device.status = DeviceStatus::Pending;
        if (n % 3 != 2) {
            e.device.lastSeenAt = T0.addSecs(3600 * ((n * 5) % 4));
            e.device.lastAddress = QStringLiteral("192.0.2.%1").arg((n * 5) % 6);
        }
        CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
        if (n % 2 == 0 && e.device.status == DeviceStatus::Active) {
            const QDateTime at = T0.addDays(20 + n % 3);
            CHECK_OUTCOME(m_registry->recordRenewal(
                              e.device.serverId, e.certificate.serial,
                              renewalCertificate(e.device.serverId, QStringLiteral("f%1").arg(n % 6 + 10 * n), at),
                              eventAt(e.device.serverId, EventKind::Renew, at)),
                          WriteOutcome::Done);
        }
        if (n % 5 == 3)
            CHECK_OUTCOME(m_registry->revoke(e.device.serverId, {}, QStringLiteral("operator:ann"), T0),
                          WriteOutcome::Done);
    }

    auto all = m_registry->devices({});
    CHECK_OK(all);
    QList<DeviceRecord> expected = all.value();
    QCOMPARE(expected.size(), kDevices);
    struct Key {
        bool null = false;
        qint64 number = 0;
        QString text;
    };
    const auto keyOf = [sort](const DeviceRecord &device) -> Key {
        const auto time = [](const QDateTime &t) { return Key{t.isNull(), t.isNull() ? 0 : t.toSecsSinceEpoch(), {}}; };
        switch (DeviceFilter::Sort(sort)) {
        case DeviceFilter::Sort::ServerId: return Key{false, 0, device.serverId};
        case DeviceFilter::Sort::Hostname: return Key{false, 0, device.hostname};
        case DeviceFilter::Sort::Fingerprint: return Key{false, 0, device.fingerprint};
        case DeviceFilter::Sort::Status: return Key{false, 0, toString(device.status)};
        case DeviceFilter::Sort::Os: return Key{false, 0, device.os};
        case DeviceFilter::Sort::Arch: return Key{false, 0, device.arch};
        case DeviceFilter::Sort::CurrentSerial: return Key{device.currentSerial.isEmpty(), 0, device.currentSerial};
        case DeviceFilter::Sort::CurrentNotAfter: return time(device.currentNotAfter);
        case DeviceFilter::Sort::EnrolledAt: return time(device.enrolledAt);
        case DeviceFilter::Sort::RenewedAt: return time(device.renewedAt);
        case DeviceFilter::Sort::LastSeenAt: return time(device.lastSeenAt);
        case DeviceFilter::Sort::LastAddress: return Key{false, 0, device.lastAddress};
        }
        return {};
    };
    std::sort(expected.begin(), expected.end(), [&](const DeviceRecord &a, const DeviceRecord &b) {
        const Key ka = keyOf(a);
        const Key kb = keyOf(b);
        int order = ka.null == kb.null ? 0 : (ka.null ? -1 : 1); // never: the smallest
        if (order == 0)
            order = ka.number < kb.number ? -1 : (ka.number > kb.number ? 1 : 0);
        if (order == 0)
            order = QString::compare(ka.text, kb.text);
        if (order == 0)
            order = QString::compare(a.serverId, b.serverId);
        return descending ? order > 0 : order < 0;
    });

    DeviceFilter filter;
    filter.sort = DeviceFilter::Sort(sort);
    filter.descending = descending;
    auto sorted = m_registry->devices(filter);
    CHECK_OK(sorted);
    QCOMPARE(serverIds(sorted.value()), serverIds(expected));
}

void TestRegistry::paging()
{
    constexpr int kDevices = 23;
    for (int n = 0; n < kDevices; ++n) {
        Enrollment e = enrollment(n, QStringLiteral("%1").arg(0x1000 + n, 0, 16), T0);
        e.device.hostname = QStringLiteral("host-%1").arg(n % 5); // many ties
        CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
    }
    for (const bool descending : {false, true}) {
        DeviceFilter filter;
        filter.sort = DeviceFilter::Sort::Hostname;
        filter.descending = descending;
        auto all = m_registry->devices(filter);
        CHECK_OK(all);
        QCOMPARE(all->size(), kDevices);
        QStringList paged;
        filter.limit = 5;
        for (filter.offset = 0; filter.offset < kDevices + 5; filter.offset += filter.limit) {
            auto page = m_registry->devices(filter);
            CHECK_OK(page);
            QVERIFY(page->size() <= 5);
            paged += serverIds(page.value());
        }
        QCOMPARE(paged, serverIds(all.value()));
        // An offset without a limit.
        filter.limit = -1;
        filter.offset = 20;
        auto tail = m_registry->devices(filter);
        CHECK_OK(tail);
        QCOMPARE(serverIds(tail.value()), serverIds(all.value()).mid(20));
        auto count = m_registry->countDevices(filter);
        CHECK_OK(count);
        QCOMPARE(count.value(), qint64(kDevices)); // limit and offset do not count
    }
    DeviceFilter zero;
    zero.limit = 0;
    auto empty = m_registry->devices(zero);
    CHECK_OK(empty);
    QVERIFY(empty->isEmpty());
}

void TestRegistry::countByStatus()
{
    auto empty = m_registry->countByStatus();
    CHECK_OK(empty);
    QCOMPARE(empty->value(QStringLiteral("active"), -1), qint64(0));
    QCOMPARE(empty->value(QStringLiteral("revoked"), -1), qint64(0));
    QCOMPARE(empty->value(QStringLiteral("pending"), -1), qint64(0));

    for (int n = 1; n <= 6; ++n)
        enroll(n, QStringLiteral("a%1").arg(n), T0);
    Enrollment pending = enrollment(7, QStringLiteral("a7"), T0);
    pending.device.status = DeviceStatus::Pending;
    CHECK_OUTCOME(m_registry->recordEnrollment(pending.device, pending.certificate, true, pending.event),
                  WriteOutcome::Done);
    CHECK_OUTCOME(m_registry->revoke(serverIdFor(1), {}, QStringLiteral("operator:ann"), T0), WriteOutcome::Done);
    auto counts = m_registry->countByStatus();
    CHECK_OK(counts);
    QCOMPARE(counts->size(), 3);
    QCOMPARE(counts->value(QStringLiteral("active")), qint64(5));
    QCOMPARE(counts->value(QStringLiteral("revoked")), qint64(1));
    QCOMPARE(counts->value(QStringLiteral("pending")), qint64(1));
}

void TestRegistry::expiriesPerWeek()
{
    // Expiries at T0 + 1, 2, 8, 15, 15 days and one beyond the window; one revoked.
    const QList<int> days{1, 2, 8, 15, 15, 40, 3};
    for (int n = 0; n < days.size(); ++n) {
        Enrollment e = enrollment(n, QStringLiteral("a%1").arg(n), T0.addDays(-300), 300 + days.at(n));
        CHECK_OUTCOME(m_registry->recordEnrollment(e.device, e.certificate, true, e.event), WriteOutcome::Done);
    }
    CHECK_OUTCOME(m_registry->revoke(serverIdFor(6), {}, QStringLiteral("operator:ann"), T0), WriteOutcome::Done);
    auto weeks = m_registry->expiriesPerWeek(T0, 4);
    CHECK_OK(weeks);
    QCOMPARE(weeks->size(), 4);
    QCOMPARE(weeks->at(0), (QPair<QDate, qint64>(T0.date(), 2)));
    QCOMPARE(weeks->at(1), (QPair<QDate, qint64>(T0.date().addDays(7), 1)));
    QCOMPARE(weeks->at(2), (QPair<QDate, qint64>(T0.date().addDays(14), 2)));
    QCOMPARE(weeks->at(3), (QPair<QDate, qint64>(T0.date().addDays(21), 0)));
}

// ---- last seen ------------------------------------------------------------------------

void TestRegistry::recordLastSeenKeepsLatest()
{
    enroll(1, QStringLiteral("a1"), T0);
    enroll(2, QStringLiteral("a2"), T0);
    const QDateTime late = T0.addSecs(600);
    CHECK_OK(m_registry->recordLastSeen({LastSeen{serverIdFor(1), late, QStringLiteral("198.51.100.1")},
                                         LastSeen{serverIdFor(2), T0.addSecs(60), QStringLiteral("198.51.100.2")},
                                         LastSeen{serverIdFor(9), late, QStringLiteral("unknown device")}}));
    // Older news does not move the time back; duplicates in one batch: the latest counts.
    CHECK_OK(m_registry->recordLastSeen({LastSeen{serverIdFor(1), T0.addSecs(300), QStringLiteral("203.0.113.1")},
                                         LastSeen{serverIdFor(2), T0.addSecs(900), QStringLiteral("203.0.113.2")},
                                         LastSeen{serverIdFor(2), T0.addSecs(120), QStringLiteral("203.0.113.3")}}));
    auto first = m_registry->deviceByServerId(serverIdFor(1));
    CHECK_OK(first);
    QCOMPARE(first->value().lastSeenAt, late);
    QCOMPARE(first->value().lastAddress, QStringLiteral("198.51.100.1"));
    auto second = m_registry->deviceByServerId(serverIdFor(2));
    CHECK_OK(second);
    QCOMPARE(second->value().lastSeenAt, T0.addSecs(900));
    QCOMPARE(second->value().lastAddress, QStringLiteral("203.0.113.2"));
    CHECK_OK(m_registry->recordLastSeen({}));

    // A batch larger than one statement's chunk.
    QList<LastSeen> many;
    for (int n = 10; n < 260; ++n) {
        enroll(n, QStringLiteral("b%1").arg(n), T0);
        many.append(LastSeen{serverIdFor(n), T0.addSecs(1000 + n), QStringLiteral("10.0.0.%1").arg(n % 250)});
    }
    CHECK_OK(m_registry->recordLastSeen(many));
    DeviceFilter filter;
    filter.sort = DeviceFilter::Sort::LastSeenAt;
    filter.descending = true;
    filter.limit = 1;
    auto newest = m_registry->devices(filter);
    CHECK_OK(newest);
    QCOMPARE(newest->at(0).serverId, serverIdFor(259));
    QCOMPARE(newest->at(0).lastSeenAt, T0.addSecs(1259));
    auto unseen = m_registry->devices({});
    CHECK_OK(unseen);
    for (const DeviceRecord &device : unseen.value())
        QVERIFY2(device.lastSeenAt.isValid(), qPrintable(device.serverId));
}

void TestRegistry::lastSeenRecorderCoalesces()
{
    LastSeenRecorder recorder;
    for (int i = 0; i < 1000; ++i)
        recorder.note(serverIdFor(i % 3), T0.addSecs((i * 7919) % 1000), QStringLiteral("10.0.0.%1").arg(i % 200));
    QCOMPARE(recorder.pending(), qsizetype(3));
    QList<LastSeen> taken = recorder.take();
    QCOMPARE(taken.size(), 3);
    QCOMPARE(recorder.pending(), qsizetype(0));
    std::sort(taken.begin(), taken.end(), [](const LastSeen &a, const LastSeen &b) { return a.serverId < b.serverId; });
    for (const LastSeen &entry : taken) {
        // The latest time of each device, with the address of that note.
        int device = -1;
        for (int d = 0; d < 3; ++d)
            if (serverIdFor(d) == entry.serverId)
                device = d;
        QVERIFY(device >= 0);
        qint64 latest = -1;
        int latestNote = -1;
        for (int i = device; i < 1000; i += 3) {
            if ((i * 7919) % 1000 > latest) {
                latest = (i * 7919) % 1000;
                latestNote = i;
            }
        }
        QCOMPARE(entry.at, T0.addSecs(latest));
        QCOMPARE(entry.address, QStringLiteral("10.0.0.%1").arg(latestNote % 200));
    }
    QVERIFY(recorder.take().isEmpty());
}

void TestRegistry::lastSeenRecorderRestoresAfterFailedFlush()
{
    for (int n = 0; n < 3; ++n)
        enroll(n, QStringLiteral("a%1").arg(n), T0);
    LastSeenRecorder recorder;
    for (int n = 0; n < 3; ++n)
        recorder.note(serverIdFor(n), T0.addSecs(100 + n), QStringLiteral("10.0.0.%1").arg(n));

    auto broken = Registry::open(m_url, QStringLiteral("broken"));
    CHECK_OK(broken);
    broken.value()->close();
    QVERIFY(!recorder.flush(*broken.value()).ok());
    QCOMPARE(recorder.pending(), qsizetype(3));

    // Meanwhile a newer note for one device and an older one for another.
    recorder.note(serverIdFor(0), T0.addSecs(500), QStringLiteral("10.0.1.0"));
    recorder.note(serverIdFor(1), T0.addSecs(1), QStringLiteral("10.0.1.1"));
    recorder.restore({LastSeen{serverIdFor(0), T0.addSecs(100), QStringLiteral("stale")}});
    CHECK_OK(recorder.flush(*m_registry));
    QCOMPARE(recorder.pending(), qsizetype(0));
    const QList<QPair<QDateTime, QString>> expected{{T0.addSecs(500), QStringLiteral("10.0.1.0")},
                                                    {T0.addSecs(101), QStringLiteral("10.0.0.1")},
                                                    {T0.addSecs(102), QStringLiteral("10.0.0.2")}};
    for (int n = 0; n < 3; ++n) {
        auto device = m_registry->deviceByServerId(serverIdFor(n));
        CHECK_OK(device);
        QCOMPARE(device->value().lastSeenAt, expected.at(n).first);
        QCOMPARE(device->value().lastAddress, expected.at(n).second);
    }
    CHECK_OK(recorder.flush(*m_registry)); // nothing to do
}

void TestRegistry::lastSeenRecorderAcrossThreads()
{
    // Worker threads note while a flusher with its own registry connection writes.
    constexpr int kDevices = 20;
    constexpr int kThreads = 6;
    constexpr int kNotes = 3000;
    for (int n = 0; n < kDevices; ++n)
        enroll(n, QStringLiteral("a%1").arg(n), T0);
    LastSeenRecorder recorder;
    std::atomic<bool> writing{true};
    std::atomic<int> flushes{0};
    QString flusherError;
    std::latch flusherReady(1);
    std::thread flusher([&] {
        auto registry = Registry::open(m_url, QStringLiteral("flusher"));
        flusherReady.count_down();
        if (!registry) {
            flusherError = registry.errorMessage();
            return;
        }
        do {
            if (Status flushed = recorder.flush(*registry.value()); !flushed) {
                flusherError = flushed.errorMessage();
                return;
            }
            ++flushes;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        } while (writing.load());
    });
    flusherReady.wait();
    std::vector<std::thread> workers;
    for (int t = 0; t < kThreads; ++t) {
        workers.emplace_back([&recorder, t] {
            for (int i = 0; i < kNotes; ++i) {
                const int device = (i + t) % kDevices;
                // Device d's latest note is at T0 + d*1000 + kNotes-1 + t (from some thread).
                recorder.note(serverIdFor(device), T0.addSecs(device * 10000 + i + t),
                              QStringLiteral("10.1.%1.%2").arg(t).arg(i % 250));
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    writing = false;
    flusher.join();
    QVERIFY2(flusherError.isEmpty(), qPrintable(flusherError));
    CHECK_OK(recorder.flush(*m_registry));
    QVERIFY(flushes.load() > 0);
    for (int d = 0; d < kDevices; ++d) {
        // The highest i with (i + t) % kDevices == d, over all threads t.
        qint64 latest = -1;
        for (int t = 0; t < kThreads; ++t)
            for (int i = 0; i < kNotes; ++i)
                if ((i + t) % kDevices == d)
                    latest = std::max<qint64>(latest, i + t);
        auto device = m_registry->deviceByServerId(serverIdFor(d));
        CHECK_OK(device);
        QCOMPARE(device->value().lastSeenAt, T0.addSecs(d * 10000 + latest));
    }
}

// ---- races between connections (threads here, processes or machines in production) ----

void TestRegistry::concurrentEnrollmentOfSameFingerprint()
{
    constexpr int kRounds = 8;
    for (int round = 0; round < kRounds; ++round) {
        // Two enrollments of one new fingerprint, each with its own server_id and serial.
        const int fingerprint = 100 + round;
        std::latch start(2);
        WriteOutcome outcomes[2]{};
        QString errors[2];
        QString retryErrors[2];
        WriteOutcome retried[2]{WriteOutcome::Done, WriteOutcome::Done};
        auto contender = [&](int side) {
            auto registry = Registry::open(m_url, QStringLiteral("contender-%1").arg(side));
            if (!registry) {
                errors[side] = registry.errorMessage();
                start.count_down();
                return;
            }
            Enrollment e = enrollment(fingerprint,
                                      QStringLiteral("%1%2").arg(round + 1).arg(QLatin1String(side == 0 ? "aa" : "bb")),
                                      T0.addSecs(round));
            e.device.serverId = serverIdFor(1000 * (side + 1) + round);
            e.certificate.serverId = e.device.serverId;
            e.event.serverId = e.device.serverId;
            start.arrive_and_wait();
            auto outcome = registry.value()->recordEnrollment(e.device, e.certificate, true, e.event);
            if (!outcome) {
                errors[side] = outcome.errorMessage();
                return;
            }
            outcomes[side] = outcome.value();
            if (outcome.value() != WriteOutcome::Conflict)
                return;
            // What the authority does next: re-read and re-enroll the device that won.
            auto winner = registry.value()->deviceByFingerprint(e.device.fingerprint);
            if (!winner || !winner->has_value()) {
                retryErrors[side] = QStringLiteral("the winner is not visible");
                return;
            }
            Enrollment again = enrollment(
                fingerprint, QStringLiteral("%1%2").arg(round + 1).arg(QLatin1String(side == 0 ? "ac" : "bc")),
                T0.addSecs(round + 1));
            again.device.serverId = winner->value().serverId;
            again.certificate.serverId = again.device.serverId;
            again.certificate.how = IssuedHow::Reenroll;
            again.event.serverId = again.device.serverId;
            again.event.kind = EventKind::Reenroll;
            auto second = registry.value()->recordEnrollment(again.device, again.certificate, false, again.event);
            if (!second)
                retryErrors[side] = second.errorMessage();
            else
                retried[side] = second.value();
        };
        std::thread a(contender, 0);
        std::thread b(contender, 1);
        a.join();
        b.join();
        QVERIFY2(errors[0].isEmpty() && errors[1].isEmpty(), qPrintable(errors[0] + errors[1]));
        QVERIFY2(retryErrors[0].isEmpty() && retryErrors[1].isEmpty(), qPrintable(retryErrors[0] + retryErrors[1]));
        const QSet<WriteOutcome> both{outcomes[0], outcomes[1]};
        QCOMPARE(both, (QSet<WriteOutcome>{WriteOutcome::Done, WriteOutcome::Conflict}));
        const int loser = outcomes[0] == WriteOutcome::Conflict ? 0 : 1;
        QCOMPARE(toString(retried[loser]), toString(WriteOutcome::Done));

        DeviceFilter filter;
        filter.search = fingerprintFor(fingerprint);
        auto devices = m_registry->devices(filter);
        CHECK_OK(devices);
        QCOMPARE(devices->size(), 1);
        QCOMPARE(devices->at(0).serverId, serverIdFor(1000 * (1 - loser + 1) + round));
        // The loser's first certificate is not there; its re-enrollment's is current.
        auto lost = m_registry->certificateBySerial(
            QStringLiteral("%1%2").arg(round + 1).arg(QLatin1String(loser == 0 ? "aa" : "bb")));
        CHECK_OK(lost);
        QVERIFY(!lost->has_value());
        QCOMPARE(devices->at(0).currentSerial,
                 QStringLiteral("%1%2").arg(round + 1).arg(QLatin1String(loser == 0 ? "ac" : "bc")));
        auto certificates = m_registry->certificates(devices->at(0).serverId);
        CHECK_OK(certificates);
        QCOMPARE(certificates->size(), 2);
    }
}

void TestRegistry::concurrentRenewalWithSameSerial()
{
    constexpr int kRounds = 8;
    for (int round = 0; round < kRounds; ++round)
        enroll(round, QStringLiteral("a%1").arg(round), T0);
    for (int round = 0; round < kRounds; ++round) {
        std::latch start(2);
        WriteOutcome outcomes[2]{};
        QString errors[2];
        auto renewer = [&](int side) {
            auto registry = Registry::open(m_url, QStringLiteral("renewer-%1").arg(side));
            if (!registry) {
                errors[side] = registry.errorMessage();
                start.count_down();
                return;
            }
            const QDateTime at = T0.addDays(300);
            start.arrive_and_wait();
            auto outcome = registry.value()->recordRenewal(
                serverIdFor(round), QStringLiteral("a%1").arg(round),
                renewalCertificate(serverIdFor(round), QStringLiteral("b%1%2").arg(round).arg(side), at),
                eventAt(serverIdFor(round), EventKind::Renew, at));
            if (!outcome)
                errors[side] = outcome.errorMessage();
            else
                outcomes[side] = outcome.value();
        };
        std::thread a(renewer, 0);
        std::thread b(renewer, 1);
        a.join();
        b.join();
        QVERIFY2(errors[0].isEmpty() && errors[1].isEmpty(), qPrintable(errors[0] + errors[1]));
        const QSet<WriteOutcome> both{outcomes[0], outcomes[1]};
        QCOMPARE(both, (QSet<WriteOutcome>{WriteOutcome::Done, WriteOutcome::Superseded}));
        const int winner = outcomes[0] == WriteOutcome::Done ? 0 : 1;
        auto device = m_registry->deviceByServerId(serverIdFor(round));
        CHECK_OK(device);
        QCOMPARE(device->value().currentSerial, QStringLiteral("b%1%2").arg(round).arg(winner));
        auto certificates = m_registry->certificates(serverIdFor(round));
        CHECK_OK(certificates);
        QCOMPARE(certificates->size(), 2);
    }
}

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
