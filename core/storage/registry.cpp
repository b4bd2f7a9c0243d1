#include "storage/registry.h"

#include "common/logging.h"
#include "storage/schema.h"

#include <QAtomicInteger>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace imprint::storage {

namespace {

constexpr qint64 kSecondsPerWeek = 7 * 24 * 3600;
// Entries of recordLastSeen per UPDATE statement (three parameters each).
constexpr int kLastSeenChunk = 100;
// Devices kept by the SQLite read cache of deviceByServerId, per connection.
constexpr std::size_t kCachedDevices = 4096;
// How long a connection waits for SQLite's write lock (QSQLITE_BUSY_TIMEOUT too).
constexpr std::chrono::milliseconds kSqliteBusyTimeout{5000};

// SQLite has one writer at a time. A connection that finds the write lock taken sleeps
// and polls (1, 2, 5, 10, ... 100 ms): on an io thread that stalls every connection of the
// thread, and it made the tail of enrollments long (docs/BENCHMARKS.md). The connections
// of one process to one file therefore queue on this gate instead, woken as soon as the
// writer before them commits; other processes still meet SQLite's own lock.
std::shared_ptr<std::timed_mutex> sqliteWriteGate(const QString &path)
{
    static std::mutex mutex;
    static std::map<QString, std::weak_ptr<std::timed_mutex>> gates;
    const QString key = QFileInfo(path).absoluteFilePath();
    std::lock_guard lock(mutex);
    std::weak_ptr<std::timed_mutex> &slot = gates[key];
    auto gate = slot.lock();
    if (!gate) {
        gate = std::make_shared<std::timed_mutex>();
        slot = gate;
    }
    return gate;
}

const QString kDeviceColumns = QStringLiteral(
    "server_id, fingerprint, hostname, os, arch, status, current_serial, current_not_after, enrolled_at, "
    "renewed_at, last_seen_at, last_address, revoked_at, revoke_reason");
const QString kCertificateColumns =
    QStringLiteral("serial, server_id, not_before, not_after, issued_at, how, revoked_at");
const QString kEventColumns = QStringLiteral("id, at, server_id, kind, actor, address, detail");

QVariant timeValue(const QDateTime &time)
{
    if (!time.isValid())
        return QVariant(QMetaType::fromType<qlonglong>());
    return QVariant(qlonglong(time.toSecsSinceEpoch()));
}

QDateTime timeFrom(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

// Qt binds a null QString as SQL NULL; the text columns are NOT NULL DEFAULT ''.
QVariant textValue(const QString &text)
{
    return text.isNull() ? QVariant(QStringLiteral("")) : QVariant(text);
}

enum class SqlFailure { Other, Constraint, Retry, ConnectionLost };

// LIKE pattern matching `text` literally anywhere; '!' is the escape character
// (not '\', whose meaning in string literals differs between servers).
QString containsPattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    escaped += QLatin1Char('%');
    for (const QChar c : text) {
        if (c == QLatin1Char('!') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped += QLatin1Char('!');
        escaped += c;
    }
    escaped += QLatin1Char('%');
    return escaped;
}

// A serial as an operator might paste it ("00:A1:B2", "A1B2") in the stored form.
QString normalizedSerial(const QString &text)
{
    QString serial = text.trimmed().toLower();
    serial.remove(QLatin1Char(':'));
    while (serial.size() > 1 && serial.startsWith(QLatin1Char('0')))
        serial.remove(0, 1);
    return serial;
}

} // namespace

// A prepared statement being read; finish() on scope exit so that SQLite does not keep a
// read transaction open (which would stop WAL checkpoints) and PostgreSQL frees the result.
class ActiveQuery {
public:
    explicit ActiveQuery(QSqlQuery *query) : m_query(query) {}
    ActiveQuery(ActiveQuery &&other) noexcept : m_query(std::exchange(other.m_query, nullptr)) {}
    ActiveQuery &operator=(ActiveQuery &&) = delete;
    ActiveQuery(const ActiveQuery &) = delete;
    ~ActiveQuery()
    {
        if (m_query)
            m_query->finish();
    }
    bool next() { return m_query->next(); }
    QVariant value(int index) const { return m_query->value(index); }
    int rowsAffected() const { return m_query->numRowsAffected(); }

private:
    QSqlQuery *m_query;
};

class RegistryPrivate {
public:
    RegistryPrivate(DatabaseUrl databaseUrl, QString name)
        : url(std::move(databaseUrl)), connectionName(std::move(name))
    {
    }
    ~RegistryPrivate() { closeConnection(); }

    DatabaseUrl url;
    QString connectionName;
    QSqlDatabase db;
    bool connectionAdded = false;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> statements;
    SqlFailure lastFailure = SqlFailure::Other;
    bool lost = false;
    std::shared_ptr<std::timed_mutex> writeGate; // SQLite only
    // Held from BEGIN to COMMIT or ROLLBACK: on SQLite, "in a write transaction".
    std::unique_lock<std::timed_mutex> writing;

    void leaveTransaction()
    {
        if (writing.owns_lock())
            writing.unlock();
    }

    // The mTLS guard reads its device by server_id on every request, and through QtSql that
    // read was a third of a kept-alive request's CPU (docs/BENCHMARKS.md). On SQLite the
    // rows read are kept until anything may have changed them: PRAGMA data_version moves
    // when another connection (any process) commits, and every statement of this connection
    // that is not a SELECT, and the end of every transaction, empties the cache. So a
    // revocation is seen by the next request exactly as without the cache. PostgreSQL has no
    // such counter; there every read goes to the server.
    struct DeviceCache {
        qint64 dataVersion = -1;
        std::unordered_map<QString, DeviceRecord> byServerId;
    } deviceCache;

    void forgetCachedDevices()
    {
        deviceCache.byServerId.clear();
        deviceCache.dataVersion = -1;
    }

    bool isSqlite() const { return url.backend == DatabaseUrl::Backend::Sqlite; }

    void closeConnection()
    {
        forgetCachedDevices();
        leaveTransaction();
        statements.clear();
        if (!connectionAdded)
            return;
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        connectionAdded = false;
    }

    Error failure(const QString &operation, const QSqlError &error)
    {
        lastFailure = classify(error);
        if (lastFailure == SqlFailure::ConnectionLost)
            lost = true;
        QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
        // libpq's "ERROR:  " prefix says nothing the message does not.
        if (text.startsWith(QLatin1String("ERROR:")))
            text = text.mid(6).trimmed();
        if (lastFailure == SqlFailure::Other || lastFailure == SqlFailure::ConnectionLost)
            qCWarning(lcStorage).noquote()
                << "event=database_error operation=" + operation << "error=" + text << "database=" + url.display();
        return Error{QStringLiteral("%1 failed: %2 (database %3)").arg(operation, text, url.display())};
    }

    SqlFailure classify(const QSqlError &error)
    {
        const QString code = error.nativeErrorCode();
        if (isSqlite()) {
            bool ok = false;
            const int value = code.toInt(&ok);
            if (!ok)
                return SqlFailure::Other;
            // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY, or the primary code
            // when extended codes are off (then the text tells).
            if (value == 2067 || value == 1555)
                return SqlFailure::Constraint;
            if (value == 19 && (error.databaseText().contains(QLatin1String("UNIQUE")) ||
                                error.databaseText().contains(QLatin1String("PRIMARY KEY"))))
                return SqlFailure::Constraint;
            return SqlFailure::Other;
        }
        // Class 08 (connection exception) and 57P01-03 (the server shutting down or not yet
        // up) end the session. When the connection broke before the server could say why,
        // libpq has no SQLSTATE at all: then a trivial statement tells.
        if (code.startsWith(QLatin1String("08")) || code == QLatin1String("57P01") || code == QLatin1String("57P02")
            || code == QLatin1String("57P03"))
            return SqlFailure::ConnectionLost;
        if (code.isEmpty() && !QSqlQuery(db).exec(QStringLiteral("SELECT 1")))
            return SqlFailure::ConnectionLost;
        if (code == QLatin1String("23505"))
            return SqlFailure::Constraint;
        if (code == QLatin1String("40001") || code == QLatin1String("40P01"))
            return SqlFailure::Retry;
        return SqlFailure::Other;
    }

    Result<ActiveQuery> exec(const QString &operation, const QString &sql, const QVariantList &arguments = {})
    {
        lastFailure = SqlFailure::Other;
        if (!db.isOpen())
            return Error{QStringLiteral("%1 failed: the registry connection is closed (database %2)")
                             .arg(operation, url.display())};
        if (!sql.startsWith(QLatin1String("SELECT")) && !sql.startsWith(QLatin1String("PRAGMA data_version")))
            forgetCachedDevices();
        auto it = statements.find(sql);
        if (it == statements.end()) {
            auto query = std::make_unique<QSqlQuery>(db);
            // QPSQL reads forward-only results row by row and then needs them finished
            // before the next statement; the results here are small, so read them whole.
            query->setForwardOnly(isSqlite());
            if (!query->prepare(sql))
                return failure(operation, query->lastError());
            it = statements.emplace(sql, std::move(query)).first;
        }
        QSqlQuery &query = *it->second;
        for (int i = 0; i < arguments.size(); ++i)
            query.bindValue(i, arguments.at(i));
        if (!query.exec()) {
            Error error = failure(operation, query.lastError());
            query.finish();
            return error;
        }
        return ActiveQuery(&query);
    }

    // Statements that take no parameters and are run once (transaction control, DDL).
    Status execDirect(const QString &operation, const QString &sql)
    {
        forgetCachedDevices();
        if (!db.isOpen())
            return Error{QStringLiteral("%1 failed: the registry connection is closed (database %2)")
                             .arg(operation, url.display())};
        QSqlQuery query(db);
        if (!query.exec(sql))
            return failure(operation, query.lastError());
        return {};
    }

    // PRAGMA journal_mode=WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at
    // once, without its busy handler, when waiting could deadlock with another connection
    // that holds a lock on the new file: several processes opening a new registry at once
    // meet exactly that. Try again until the usual busy timeout.
    Status enterWalMode()
    {
        const QDeadlineTimer deadline(kSqliteBusyTimeout);
        for (unsigned long pause = 1;; pause = std::min(pause * 2, 50ul)) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
                return {};
            const QSqlError error = query.lastError();
            const bool busy = error.nativeErrorCode() == QLatin1String("5") // SQLITE_BUSY
                || error.nativeErrorCode() == QLatin1String("6");            // SQLITE_LOCKED
            if (!busy || deadline.hasExpired())
                return failure(QStringLiteral("setting up the registry connection"), error);
            QThread::msleep(pause);
        }
    }

    Status begin(const QString &operation)
    {
        // IMMEDIATE takes SQLite's write lock now (waiting up to the busy timeout) instead
        // of failing at the first write when another connection got there first.
        if (writeGate) {
            writing = std::unique_lock(*writeGate, std::defer_lock);
            if (!writing.try_lock_for(kSqliteBusyTimeout))
                return Error{QStringLiteral("%1 failed: the database is locked by another writer of this process "
                                            "(database %2)")
                                 .arg(operation, url.display())};
        }
        Status started =
            execDirect(operation, isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
        if (!started.ok())
            leaveTransaction();
        return started;
    }

    Status commit(const QString &operation)
    {
        Status committed = execDirect(operation, QStringLiteral("COMMIT"));
        if (committed.ok())
            leaveTransaction();
        return committed;
    }

    void rollback()
    {
        forgetCachedDevices();
        if (db.isOpen()) {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("ROLLBACK")))
                qCWarning(lcStorage).noquote()
                    << "event=rollback_failed error=" + query.lastError().text() << "database=" + url.display();
        }
        leaveTransaction();
    }

    // Runs `body` in one transaction: committed when it returns Done, rolled back otherwise.
    // A unique violation, deadlock or serialization failure anywhere is a Conflict.
    template <typename Body> Result<WriteOutcome> transaction(const QString &operation, Body body)
    {
        if (Status started = begin(operation); !started)
            return started.error();
        Result<WriteOutcome> outcome = body();
        if (!outcome.ok()) {
            const SqlFailure failed = lastFailure;
            rollback();
            if (failed == SqlFailure::Constraint || failed == SqlFailure::Retry) {
                qCInfo(lcStorage).noquote()
                    << "event=write_conflict operation=" + operation << "error=" + outcome.errorMessage();
                return WriteOutcome::Conflict;
            }
            return outcome;
        }
        if (outcome.value() != WriteOutcome::Done) {
            rollback();
            return outcome;
        }
        if (Status committed = commit(operation); !committed) {
            const SqlFailure failed = lastFailure;
            rollback();
            if (failed == SqlFailure::Retry)
                return WriteOutcome::Conflict;
            return committed.error();
        }
        return outcome;
    }

    Status insertEvent(const QString &operation, const EventRecord &event)
    {
        auto query = exec(operation,
                          QStringLiteral("INSERT INTO events (at, server_id, kind, actor, address, detail) "
                                         "VALUES (?, ?, ?, ?, ?, ?)"),
                          {timeValue(event.at), textValue(event.serverId), textValue(event.kind),
                           textValue(event.actor), textValue(event.address), textValue(event.detail)});
        if (!query)
            return query.error();
        return {};
    }

    Status insertCertificate(const QString &operation, const CertificateRecord &certificate)
    {
        auto query =
            exec(operation,
                 QStringLiteral("INSERT INTO certificates (%1) VALUES (?, ?, ?, ?, ?, ?, ?)").arg(kCertificateColumns),
                 {certificate.serial, certificate.serverId, timeValue(certificate.notBefore),
                  timeValue(certificate.notAfter), timeValue(certificate.issuedAt), toString(certificate.how),
                  timeValue(certificate.revokedAt)});
        if (!query)
            return query.error();
        return {};
    }

    Result<DeviceRecord> readDevice(const ActiveQuery &query) const
    {
        DeviceRecord device;
        device.serverId = query.value(0).toString();
        device.fingerprint = query.value(1).toString();
        device.hostname = query.value(2).toString();
        device.os = query.value(3).toString();
        device.arch = query.value(4).toString();
        auto status = parseDeviceStatus(query.value(5).toString());
        if (!status)
            return Error{QStringLiteral("device %1 in database %2: %3")
                             .arg(device.serverId, url.display(), status.errorMessage())};
        device.status = status.value();
        device.currentSerial = query.value(6).toString();
        device.currentNotAfter = timeFrom(query.value(7));
        device.enrolledAt = timeFrom(query.value(8));
        device.renewedAt = timeFrom(query.value(9));
        device.lastSeenAt = timeFrom(query.value(10));
        device.lastAddress = query.value(11).toString();
        device.revokedAt = timeFrom(query.value(12));
        device.revokeReason = query.value(13).toString();
        return device;
    }

    Result<CertificateRecord> readCertificate(const ActiveQuery &query) const
    {
        CertificateRecord certificate;
        certificate.serial = query.value(0).toString();
        certificate.serverId = query.value(1).toString();
        certificate.notBefore = timeFrom(query.value(2));
        certificate.notAfter = timeFrom(query.value(3));
        certificate.issuedAt = timeFrom(query.value(4));
        auto how = parseIssuedHow(query.value(5).toString());
        if (!how)
            return Error{QStringLiteral("certificate %1 in database %2: %3")
                             .arg(certificate.serial, url.display(), how.errorMessage())};
        certificate.how = how.value();
        certificate.revokedAt = timeFrom(query.value(6));
        return certificate;
    }

    static EventRecord readEvent(const ActiveQuery &query)
    {
        EventRecord event;
        event.id = query.value(0).toLongLong();
        event.at = timeFrom(query.value(1));
        event.serverId = query.value(2).toString();
        event.kind = query.value(3).toString();
        event.actor = query.value(4).toString();
        event.address = query.value(5).toString();
        event.detail = query.value(6).toString();
        return event;
    }

    Result<std::optional<DeviceRecord>> deviceWhere(const QString &operation, const QString &column,
                                                    const QString &value)
    {
        auto query =
            exec(operation, QStringLiteral("SELECT %1 FROM devices WHERE %2 = ?").arg(kDeviceColumns, column), {value});
        if (!query)
            return query.error();
        if (!query->next())
            return std::optional<DeviceRecord>();
        auto device = readDevice(query.value());
        if (!device)
            return device.error();
        return std::optional<DeviceRecord>(std::move(device.value()));
    }

    Result<std::optional<DeviceRecord>> cachedDeviceByServerId(const QString &serverId)
    {
        const auto lookUp = [&] {
            return deviceWhere(QStringLiteral("looking up device %1").arg(serverId), QStringLiteral("server_id"),
                               serverId);
        };
        // Inside a transaction a read may see this connection's uncommitted writes.
        if (!isSqlite() || writing.owns_lock())
            return lookUp();
        qint64 version = 0;
        {
            auto query = exec(QStringLiteral("reading the data version"), QStringLiteral("PRAGMA data_version"));
            if (!query)
                return query.error();
            if (!query->next())
                return Error{
                    QStringLiteral("reading the data version failed: no row (database %1)").arg(url.display())};
            version = query->value(0).toLongLong();
        }
        if (version != deviceCache.dataVersion) {
            deviceCache.byServerId.clear();
            deviceCache.dataVersion = version;
        }
        if (const auto it = deviceCache.byServerId.find(serverId); it != deviceCache.byServerId.end())
            return std::optional<DeviceRecord>(it->second);
        auto found = lookUp();
        if (found && found.value()) {
            if (deviceCache.byServerId.size() >= kCachedDevices)
                deviceCache.byServerId.clear();
            deviceCache.byServerId.emplace(serverId, *found.value());
        }
        return found;
    }

    Result<QList<EventRecord>> eventsWhere(const QString &operation, const QString &where,
                                           const QVariantList &arguments, int limit)
    {
        if (limit < -1)
            return Error{QStringLiteral("%1: invalid limit %2").arg(operation).arg(limit)};
        QString sql = QStringLiteral("SELECT %1 FROM events %2 ORDER BY at DESC, id DESC").arg(kEventColumns, where);
        QVariantList args = arguments;
        if (limit >= 0) {
            sql += QStringLiteral(" LIMIT ?");
            args.append(qlonglong(limit));
        }
        auto query = exec(operation, sql, args);
        if (!query)
            return query.error();
        QList<EventRecord> events;
        while (query->next())
            events.append(readEvent(query.value()));
        return events;
    }

    // 0 for a database without the schema_version table (a new one).
    Result<int> readSchemaVersion()
    {
        const QString operation = QStringLiteral("reading the schema version");
        auto exists = exec(
            operation, isSqlite() ? QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                                                   "AND name = 'schema_version'")
                                  : QStringLiteral("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE "
                                                   "schemaname = current_schema() AND tablename = 'schema_version'"));
        if (!exists)
            return exists.error();
        if (!exists->next() || exists->value(0).toLongLong() == 0)
            return 0;
        auto version = exec(operation, QStringLiteral("SELECT MAX(version) FROM schema_version"));
        if (!version)
            return version.error();
        return version->next() ? version->value(0).toInt() : 0;
    }

    Status checkNotNewer(int version) const
    {
        if (version > schema::latestVersion())
            return Status::failure(QStringLiteral("the registry %1 has schema version %2, newer than this version of "
                                                  "Imprint knows (%3); upgrade Imprint")
                                       .arg(url.display())
                                       .arg(version)
                                       .arg(schema::latestVersion()));
        return {};
    }

    // Applies the missing migrations, each in its own transaction. Several processes may
    // do this at once on a new database: SQLite's write lock (BEGIN IMMEDIATE) or a
    // PostgreSQL advisory lock lets one at a time in, and each re-reads the version
    // inside its transaction.
    Status migrate()
    {
        auto current = readSchemaVersion();
        if (!current)
            return current.error();
        if (Status newer = checkNotNewer(current.value()); !newer)
            return newer;
        if (current.value() == schema::latestVersion())
            return {};

        const QList<schema::Migration> all = schema::migrations(url.backend);
        for (;;) {
            const QString operation = QStringLiteral("migrating the registry schema");
            if (Status started = begin(operation); !started)
                return started;
            auto applied = [&]() -> Result<int> {
                if (!isSqlite()) {
                    if (Status locked = execDirect(
                            operation,
                            QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(schema::kMigrationLockKey));
                        !locked)
                        return locked.error();
                }
                if (Status created = execDirect(operation, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                                                          "version INTEGER NOT NULL PRIMARY KEY, "
                                                                          "applied_at BIGINT NOT NULL)"));
                    !created)
                    return created.error();
                auto version = readSchemaVersion();
                if (!version)
                    return version.error();
                if (Status newer = checkNotNewer(version.value()); !newer)
                    return newer.error();
                if (version.value() == schema::latestVersion())
                    return version.value();
                const schema::Migration &migration = all.at(version.value());
                for (const QString &statement : migration.statements) {
                    if (Status done = execDirect(operation, statement); !done)
                        return done.error();
                }
                // The one read of the wall clock: when the migration ran, for operators.
                auto recorded =
                    exec(operation, QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"),
                         {migration.version, qlonglong(QDateTime::currentSecsSinceEpoch())});
                if (!recorded)
                    return recorded.error();
                qCInfo(lcStorage).noquote()
                    << QStringLiteral("event=schema_migrated version=%1 description=\"%2\" database=%3")
                           .arg(migration.version)
                           .arg(migration.description, url.display());
                return migration.version;
            }();
            if (!applied) {
                rollback();
                return applied.error();
            }
            if (Status committed = commit(operation); !committed) {
                rollback();
                return committed;
            }
            if (applied.value() == schema::latestVersion())
                return {};
        }
    }

    // The WHERE clause of a device filter, with its arguments appended to `arguments`.
    Result<QString> filterClause(const DeviceFilter &filter, QVariantList &arguments) const
    {
        QStringList conditions;
        if (filter.status) {
            conditions.append(QStringLiteral("status = ?"));
            arguments.append(toString(*filter.status));
        }
        const QString search = filter.search.trimmed();
        if (!search.isEmpty()) {
            const QString pattern = containsPattern(search);
            // SQLite's LIKE already ignores ASCII case, exactly as far as its lower() does,
            // and calling lower() on four columns of every row made the search scan three
            // times slower (docs/BENCHMARKS.md). PostgreSQL's LIKE does not ignore case.
            const QString like = isSqlite() ? QStringLiteral("%1 LIKE ? ESCAPE '!'")
                                            : QStringLiteral("lower(%1) LIKE lower(?) ESCAPE '!'");
            QStringList matches;
            for (const char *column : {"hostname", "server_id", "fingerprint", "current_serial"})
                matches.append(like.arg(QLatin1String(column)));
            matches.append(QStringLiteral("server_id IN (SELECT server_id FROM certificates WHERE serial = ?)"));
            conditions.append(QLatin1Char('(') + matches.join(QLatin1String(" OR ")) + QLatin1Char(')'));
            arguments << pattern << pattern << pattern << pattern << normalizedSerial(search);
        }
        if (filter.expiringWithinSeconds || filter.expiredOnly) {
            if (!filter.now.isValid())
                return Error{QStringLiteral("device filter: an expiry condition needs the current time")};
        }
        if (filter.expiringWithinSeconds) {
            if (*filter.expiringWithinSeconds < 0)
                return Error{QStringLiteral("device filter: negative expiry window")};
            conditions.append(QStringLiteral("current_not_after > ? AND current_not_after <= ?"));
            arguments << qlonglong(filter.now.toSecsSinceEpoch())
                      << qlonglong(filter.now.toSecsSinceEpoch() + *filter.expiringWithinSeconds);
        }
        if (filter.expiredOnly) {
            conditions.append(QStringLiteral("current_not_after <= ?"));
            arguments << qlonglong(filter.now.toSecsSinceEpoch());
        }
        if (conditions.isEmpty())
            return QString();
        return QStringLiteral(" WHERE ") + conditions.join(QLatin1String(" AND "));
    }
};

QString toString(WriteOutcome outcome)
{
    switch (outcome) {
    case WriteOutcome::Done: return QStringLiteral("done");
    case WriteOutcome::Conflict: return QStringLiteral("conflict");
    case WriteOutcome::Revoked: return QStringLiteral("revoked");
    case WriteOutcome::NotFound: return QStringLiteral("not found");
    case WriteOutcome::Superseded: return QStringLiteral("superseded");
    }
    return QStringLiteral("unknown");
}

namespace {

// Creates the SQLite file with mode 0600 before SQLite does (SQLite would use 0644 minus
// the umask); the -wal and -shm files inherit the mode of the database file.
Status prepareSqliteFile(const QString &path)
{
    const QFileInfo info(path);
    const QString directory = info.absolutePath();
    if (!QFileInfo::exists(directory)) {
        if (!QDir().mkpath(directory))
            return Status::failure(QStringLiteral("cannot create the directory %1 for the registry").arg(directory));
        QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    if (info.exists()) {
        if (!info.isFile())
            return Status::failure(QStringLiteral("the registry path %1 is not a file").arg(path));
        return {};
    }
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = ::open(encoded.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return {}; // another process was quicker
        return Status::failure(QStringLiteral("cannot create the registry file %1: %2")
                                   .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    ::close(fd);
    return {};
}

QString quotedConnectOptions(const QString &options)
{
    // libpq takes single-quoted values with backslash escapes; QPSQL joins the options
    // given as "a=b;c=d" into its connection string.
    QStringList quoted;
    bool hasApplicationName = false;
    const QStringList parts = options.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = part.left(eq);
        QString value = part.mid(eq + 1);
        value.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
        quoted.append(QStringLiteral("%1='%2'").arg(key, value));
        hasApplicationName = hasApplicationName || key == QLatin1String("application_name");
    }
    if (!hasApplicationName)
        quoted.append(QStringLiteral("application_name='imprint'"));
    return quoted.join(QLatin1Char(';'));
}

QAtomicInteger<quint64> g_connectionCounter;

} // namespace

Registry::Registry(std::unique_ptr<RegistryPrivate> dd) : d(std::move(dd)) {}

Registry::~Registry() = default;

Result<std::unique_ptr<Registry>> Registry::open(const DatabaseUrl &url, const QString &connectionTag)
{
    const QString driver =
        url.backend == DatabaseUrl::Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
    if (!QSqlDatabase::isDriverAvailable(driver))
        return Error{QStringLiteral("the Qt %1 driver is not installed (Debian package %2)")
                         .arg(driver, url.backend == DatabaseUrl::Backend::Sqlite ? QStringLiteral("libqt6sql6-sqlite")
                                                                                  : QStringLiteral("libqt6sql6-psql"))};
    if (url.backend == DatabaseUrl::Backend::Sqlite) {
        if (Status prepared = prepareSqliteFile(url.path); !prepared)
            return prepared.error();
    }

    const QString name = QStringLiteral("imprint-registry-%1-%2")
                             .arg(connectionTag.isEmpty() ? QStringLiteral("default") : connectionTag)
                             .arg(g_connectionCounter.fetchAndAddRelaxed(1));
    auto d = std::make_unique<RegistryPrivate>(url, name);
    d->db = QSqlDatabase::addDatabase(driver, name);
    d->connectionAdded = true;
    if (url.backend == DatabaseUrl::Backend::Sqlite) {
        d->db.setDatabaseName(url.path);
        d->db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeout.count()));
        d->writeGate = sqliteWriteGate(url.path);
    } else {
        d->db.setHostName(url.host.isEmpty() ? url.socketDirectory : url.host);
        d->db.setPort(url.port);
        d->db.setUserName(url.user);
        d->db.setPassword(url.password);
        d->db.setDatabaseName(url.database);
        d->db.setConnectOptions(quotedConnectOptions(url.options));
    }
    if (!d->db.open()) {
        const QSqlError error = d->db.lastError();
        return Error{QStringLiteral("cannot open the registry %1: %2")
                         .arg(url.display(), error.databaseText().isEmpty() ? error.text() : error.databaseText())};
    }

    if (url.backend == DatabaseUrl::Backend::Sqlite) {
        if (Status wal = d->enterWalMode(); !wal)
            return wal.error();
    }
    const QStringList setup = url.backend == DatabaseUrl::Backend::Sqlite
        ? QStringList{QStringLiteral("PRAGMA foreign_keys=ON")}
        // "relation already exists, skipping" and the like would go to stderr.
        : QStringList{QStringLiteral("SET client_min_messages = warning")};
    for (const QString &statement : setup) {
        if (Status done = d->execDirect(QStringLiteral("setting up the registry connection"), statement); !done)
            return done.error();
    }
    if (url.backend == DatabaseUrl::Backend::Sqlite) {
        auto mode = d->exec(QStringLiteral("checking the journal mode"), QStringLiteral("PRAGMA journal_mode"));
        if (!mode)
            return mode.error();
        const QString journal = mode->next() ? mode->value(0).toString() : QString();
        if (journal.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return Error{QStringLiteral("cannot put the registry %1 into WAL mode (journal mode is '%2'); "
                                        "is it on a network file system?")
                             .arg(url.display(), journal)};
    }

    std::unique_ptr<Registry> registry(new Registry(std::move(d)));
    if (Status migrated = registry->d->migrate(); !migrated)
        return migrated.error();
    return registry;
}

int Registry::latestSchemaVersion()
{
    return schema::latestVersion();
}

Result<int> Registry::schemaVersion()
{
    return d->readSchemaVersion();
}

const DatabaseUrl &Registry::url() const
{
    return d->url;
}

void Registry::close()
{
    d->closeConnection();
}

bool Registry::connectionLost() const
{
    return d->lost;
}

bool Registry::isOpen() const
{
    return d->connectionAdded && d->db.isOpen();
}

// ---- reads -------------------------------------------------------------------------

Result<std::optional<DeviceRecord>> Registry::deviceByServerId(const QString &serverId)
{
    return d->cachedDeviceByServerId(serverId);
}

Result<std::optional<DeviceRecord>> Registry::deviceByFingerprint(const QString &fingerprint)
{
    return d->deviceWhere(QStringLiteral("looking up the device with fingerprint %1").arg(fingerprint),
                          QStringLiteral("fingerprint"), fingerprint);
}

Result<QList<DeviceRecord>> Registry::devices(const DeviceFilter &filter)
{
    const QString operation = QStringLiteral("listing devices");
    if (filter.limit < -1 || filter.offset < 0)
        return Error{
            QStringLiteral("%1: invalid limit %2 or offset %3").arg(operation).arg(filter.limit).arg(filter.offset)};
    QVariantList arguments;
    auto where = d->filterClause(filter, arguments);
    if (!where)
        return where.error();

    QString column;
    bool nullable = false;
    switch (filter.sort) {
    case DeviceFilter::Sort::ServerId: column = QStringLiteral("server_id"); break;
    case DeviceFilter::Sort::Hostname: column = QStringLiteral("hostname"); break;
    case DeviceFilter::Sort::Fingerprint: column = QStringLiteral("fingerprint"); break;
    case DeviceFilter::Sort::Status: column = QStringLiteral("status"); break;
    case DeviceFilter::Sort::Os: column = QStringLiteral("os"); break;
    case DeviceFilter::Sort::Arch: column = QStringLiteral("arch"); break;
    case DeviceFilter::Sort::CurrentSerial:
        column = QStringLiteral("current_serial");
        nullable = true;
        break;
    case DeviceFilter::Sort::CurrentNotAfter:
        column = QStringLiteral("current_not_after");
        nullable = true;
        break;
    case DeviceFilter::Sort::EnrolledAt: column = QStringLiteral("enrolled_at"); break;
    case DeviceFilter::Sort::RenewedAt:
        column = QStringLiteral("renewed_at");
        nullable = true;
        break;
    case DeviceFilter::Sort::LastSeenAt:
        column = QStringLiteral("last_seen_at");
        nullable = true;
        break;
    case DeviceFilter::Sort::LastAddress: column = QStringLiteral("last_address"); break;
    }
    const QString direction = filter.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    QString order = column + direction;
    // "Never" is the smallest value, as in SQLite by default and in the indexes.
    if (nullable)
        order += filter.descending ? QStringLiteral(" NULLS LAST") : QStringLiteral(" NULLS FIRST");
    if (filter.sort != DeviceFilter::Sort::ServerId)
        order += QStringLiteral(", server_id") + direction;

    QString sql = QStringLiteral("SELECT %1 FROM devices%2 ORDER BY %3").arg(kDeviceColumns, where.value(), order);
    if (filter.limit >= 0) {
        sql += QStringLiteral(" LIMIT ? OFFSET ?");
        arguments << qlonglong(filter.limit) << qlonglong(filter.offset);
    } else if (filter.offset > 0) {
        // SQLite has no OFFSET without LIMIT; -1 is its "no limit".
        sql += d->isSqlite() ? QStringLiteral(" LIMIT -1 OFFSET ?") : QStringLiteral(" OFFSET ?");
        arguments << qlonglong(filter.offset);
    }
    auto query = d->exec(operation, sql, arguments);
    if (!query)
        return query.error();
    QList<DeviceRecord> devices;
    while (query->next()) {
        auto device = d->readDevice(query.value());
        if (!device)
            return device.error();
        devices.append(std::move(device.value()));
    }
    return devices;
}

Result<qint64> Registry::countDevices(const DeviceFilter &filter)
{
    QVariantList arguments;
    auto where = d->filterClause(filter, arguments);
    if (!where)
        return where.error();
    auto query = d->exec(QStringLiteral("counting devices"),
                         QStringLiteral("SELECT COUNT(*) FROM devices") + where.value(), arguments);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : qint64(0);
}

Result<QList<CertificateRecord>> Registry::certificates(const QString &serverId)
{
    auto query = d->exec(QStringLiteral("listing the certificates of %1").arg(serverId),
                         QStringLiteral("SELECT %1 FROM certificates WHERE server_id = ? "
                                        "ORDER BY issued_at DESC, not_after DESC, serial DESC")
                             .arg(kCertificateColumns),
                         {serverId});
    if (!query)
        return query.error();
    QList<CertificateRecord> certificates;
    while (query->next()) {
        auto certificate = d->readCertificate(query.value());
        if (!certificate)
            return certificate.error();
        certificates.append(std::move(certificate.value()));
    }
    return certificates;
}

Result<std::optional<CertificateRecord>> Registry::certificateBySerial(const QString &serial)
{
    auto query =
        d->exec(QStringLiteral("looking up certificate %1").arg(serial),
                QStringLiteral("SELECT %1 FROM certificates WHERE serial = ?").arg(kCertificateColumns), {serial});
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<CertificateRecord>();
    auto certificate = d->readCertificate(query.value());
    if (!certificate)
        return certificate.error();
    return std::optional<CertificateRecord>(std::move(certificate.value()));
}

Result<QList<EventRecord>> Registry::events(const QString &serverId, int limit)
{
    return d->eventsWhere(QStringLiteral("listing the events of %1").arg(serverId),
                          QStringLiteral("WHERE server_id = ?"), {serverId}, limit);
}

Result<QList<EventRecord>> Registry::recentEvents(int limit)
{
    return d->eventsWhere(QStringLiteral("listing recent events"), QString(), {}, limit);
}

Result<QHash<QString, qint64>> Registry::countByStatus()
{
    auto query = d->exec(QStringLiteral("counting devices by status"),
                         QStringLiteral("SELECT status, COUNT(*) FROM devices GROUP BY status"));
    if (!query)
        return query.error();
    QHash<QString, qint64> counts;
    for (const DeviceStatus status : {DeviceStatus::Active, DeviceStatus::Revoked, DeviceStatus::Pending})
        counts.insert(toString(status), 0);
    while (query->next())
        counts.insert(query->value(0).toString(), query->value(1).toLongLong());
    return counts;
}

Result<QList<QPair<QDate, qint64>>> Registry::expiriesPerWeek(const QDateTime &from, int weeks)
{
    const QString operation = QStringLiteral("counting expiries per week");
    if (!from.isValid() || weeks < 1 || weeks > 1040)
        return Error{QStringLiteral("%1: needs a start time and 1 to 1040 weeks").arg(operation)};
    const qint64 start = from.toSecsSinceEpoch();
    auto query = d->exec(operation,
                         QStringLiteral("SELECT week, COUNT(*) FROM (SELECT (current_not_after - ?) / %1 AS week "
                                        "FROM devices WHERE status = 'active' AND current_not_after >= ? "
                                        "AND current_not_after < ?) AS expiring GROUP BY week")
                             .arg(kSecondsPerWeek),
                         {qlonglong(start), qlonglong(start), qlonglong(start + weeks * kSecondsPerWeek)});
    if (!query)
        return query.error();
    QList<qint64> counts(weeks, 0);
    while (query->next()) {
        const qint64 week = query->value(0).toLongLong();
        if (week >= 0 && week < weeks)
            counts[week] = query->value(1).toLongLong();
    }
    QList<QPair<QDate, qint64>> result;
    const QDate firstDay = from.toUTC().date();
    for (int week = 0; week < weeks; ++week)
        result.append({firstDay.addDays(7 * qint64(week)), counts.at(week)});
    return result;
}

// ---- writes ------------------------------------------------------------------------

namespace {

Status checkCertificate(const CertificateRecord &certificate, const QString &serverId)
{
    if (certificate.serial.isEmpty())
        return Status::failure(QStringLiteral("the certificate has no serial"));
    if (certificate.serverId != serverId)
        return Status::failure(QStringLiteral("the certificate %1 belongs to %2, not %3")
                                   .arg(certificate.serial, certificate.serverId, serverId));
    if (!certificate.notBefore.isValid() || !certificate.notAfter.isValid() || !certificate.issuedAt.isValid())
        return Status::failure(
            QStringLiteral("the certificate %1 lacks its validity or issue time").arg(certificate.serial));
    return {};
}

Status checkEvent(const EventRecord &event)
{
    if (!event.at.isValid() || event.kind.isEmpty())
        return Status::failure(QStringLiteral("an event needs a time and a kind"));
    return {};
}

} // namespace

Result<WriteOutcome> Registry::recordEnrollment(const DeviceRecord &device, const CertificateRecord &certificateIn,
                                                bool isNewDevice, const EventRecord &eventIn)
{
    const QString operation = QStringLiteral("recording the enrollment of %1").arg(device.serverId);
    CertificateRecord certificate = certificateIn;
    if (certificate.serverId.isEmpty())
        certificate.serverId = device.serverId;
    EventRecord event = eventIn;
    if (event.serverId.isEmpty())
        event.serverId = device.serverId;
    if (device.serverId.isEmpty() || device.fingerprint.isEmpty())
        return Error{QStringLiteral("%1: the device needs a server_id and a fingerprint").arg(operation)};
    if (event.serverId != device.serverId)
        return Error{QStringLiteral("%1: the event names %2").arg(operation, event.serverId)};
    if (Status checked = checkCertificate(certificate, device.serverId); !checked)
        return Error{QStringLiteral("%1: %2").arg(operation, checked.errorMessage())};
    if (Status checked = checkEvent(event); !checked)
        return Error{QStringLiteral("%1: %2").arg(operation, checked.errorMessage())};

    return d->transaction(operation, [&]() -> Result<WriteOutcome> {
        if (isNewDevice) {
            auto inserted = d->exec(
                operation,
                QStringLiteral("INSERT INTO devices (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .arg(kDeviceColumns),
                {device.serverId, device.fingerprint, textValue(device.hostname), textValue(device.os),
                 textValue(device.arch), toString(device.status), certificate.serial, timeValue(certificate.notAfter),
                 timeValue(device.enrolledAt.isValid() ? device.enrolledAt : certificate.issuedAt),
                 timeValue(device.renewedAt), timeValue(device.lastSeenAt), textValue(device.lastAddress),
                 timeValue(device.revokedAt), textValue(device.revokeReason)});
            if (!inserted)
                return inserted.error();
        } else {
            auto updated =
                d->exec(operation,
                        QStringLiteral("UPDATE devices SET hostname = ?, os = ?, arch = ?, current_serial = ?, "
                                       "current_not_after = ? WHERE server_id = ? AND fingerprint = ? "
                                       "AND status <> 'revoked'"),
                        {textValue(device.hostname), textValue(device.os), textValue(device.arch), certificate.serial,
                         timeValue(certificate.notAfter), device.serverId, device.fingerprint});
            if (!updated)
                return updated.error();
            if (updated->rowsAffected() == 0) {
                auto current = d->exec(
                    operation, QStringLiteral("SELECT status FROM devices WHERE server_id = ? AND fingerprint = ?"),
                    {device.serverId, device.fingerprint});
                if (!current)
                    return current.error();
                if (!current->next())
                    return WriteOutcome::NotFound;
                return current->value(0).toString() == toString(DeviceStatus::Revoked) ? WriteOutcome::Revoked
                                                                                       : WriteOutcome::Conflict;
            }
        }
        if (Status inserted = d->insertCertificate(operation, certificate); !inserted)
            return inserted.error();
        if (Status logged = d->insertEvent(operation, event); !logged)
            return logged.error();
        return WriteOutcome::Done;
    });
}

Result<WriteOutcome> Registry::recordRenewal(const QString &serverId, const QString &expectedCurrentSerial,
                                             const CertificateRecord &certificateIn, const EventRecord &eventIn)
{
    const QString operation = QStringLiteral("recording the renewal of %1").arg(serverId);
    CertificateRecord certificate = certificateIn;
    if (certificate.serverId.isEmpty())
        certificate.serverId = serverId;
    EventRecord event = eventIn;
    if (event.serverId.isEmpty())
        event.serverId = serverId;
    if (serverId.isEmpty() || expectedCurrentSerial.isEmpty())
        return Error{QStringLiteral("%1: needs a server_id and the expected current serial").arg(operation)};
    if (event.serverId != serverId)
        return Error{QStringLiteral("%1: the event names %2").arg(operation, event.serverId)};
    if (Status checked = checkCertificate(certificate, serverId); !checked)
        return Error{QStringLiteral("%1: %2").arg(operation, checked.errorMessage())};
    if (Status checked = checkEvent(event); !checked)
        return Error{QStringLiteral("%1: %2").arg(operation, checked.errorMessage())};

    return d->transaction(operation, [&]() -> Result<WriteOutcome> {
        // The condition on the current serial is what makes concurrent renewals with the
        // same old certificate safe: the second UPDATE finds the new serial and no row.
        auto updated =
            d->exec(operation,
                    QStringLiteral("UPDATE devices SET current_serial = ?, current_not_after = ?, renewed_at = ? "
                                   "WHERE server_id = ? AND current_serial = ? AND status = 'active'"),
                    {certificate.serial, timeValue(certificate.notAfter), timeValue(certificate.issuedAt), serverId,
                     expectedCurrentSerial});
        if (!updated)
            return updated.error();
        if (updated->rowsAffected() == 0) {
            auto current =
                d->exec(operation, QStringLiteral("SELECT status, current_serial FROM devices WHERE server_id = ?"),
                        {serverId});
            if (!current)
                return current.error();
            if (!current->next())
                return WriteOutcome::NotFound;
            if (current->value(0).toString() == toString(DeviceStatus::Revoked))
                return WriteOutcome::Revoked;
            if (current->value(1).toString() != expectedCurrentSerial)
                return WriteOutcome::Superseded;
            return WriteOutcome::NotFound; // pending: not an active device
        }
        if (Status inserted = d->insertCertificate(operation, certificate); !inserted)
            return inserted.error();
        if (Status logged = d->insertEvent(operation, event); !logged)
            return logged.error();
        return WriteOutcome::Done;
    });
}

Result<WriteOutcome> Registry::revoke(const QString &serverId, const QString &reason, const QString &actor,
                                      const QDateTime &at)
{
    const QString operation = QStringLiteral("revoking %1").arg(serverId);
    if (!at.isValid())
        return Error{QStringLiteral("%1: no time given").arg(operation)};
    return d->transaction(operation, [&]() -> Result<WriteOutcome> {
        auto updated =
            d->exec(operation,
                    QStringLiteral("UPDATE devices SET status = 'revoked', revoked_at = ?, revoke_reason = ? "
                                   "WHERE server_id = ? AND status <> 'revoked'"),
                    {timeValue(at), textValue(reason), serverId});
        if (!updated)
            return updated.error();
        if (updated->rowsAffected() == 0) {
            auto existing = d->deviceWhere(operation, QStringLiteral("server_id"), serverId);
            if (!existing)
                return existing.error();
            return existing.value() ? WriteOutcome::Revoked : WriteOutcome::NotFound;
        }
        auto certificates =
            d->exec(operation,
                    QStringLiteral("UPDATE certificates SET revoked_at = ? WHERE server_id = ? AND revoked_at IS NULL"),
                    {timeValue(at), serverId});
        if (!certificates)
            return certificates.error();
        EventRecord event;
        event.at = at;
        event.serverId = serverId;
        event.kind = EventKind::Revoke;
        event.actor = actor;
        event.detail = reason;
        if (Status logged = d->insertEvent(operation, event); !logged)
            return logged.error();
        return WriteOutcome::Done;
    });
}

Result<WriteOutcome> Registry::deleteDevice(const QString &serverId, const QString &actor, const QDateTime &at)
{
    const QString operation = QStringLiteral("deleting %1").arg(serverId);
    if (!at.isValid())
        return Error{QStringLiteral("%1: no time given").arg(operation)};
    return d->transaction(operation, [&]() -> Result<WriteOutcome> {
        auto existing = d->deviceWhere(operation, QStringLiteral("server_id"), serverId);
        if (!existing)
            return existing.error();
        if (!existing.value())
            return WriteOutcome::NotFound;
        auto certificates =
            d->exec(operation, QStringLiteral("DELETE FROM certificates WHERE server_id = ?"), {serverId});
        if (!certificates)
            return certificates.error();
        auto deleted = d->exec(operation, QStringLiteral("DELETE FROM devices WHERE server_id = ?"), {serverId});
        if (!deleted)
            return deleted.error();
        if (deleted->rowsAffected() == 0)
            return WriteOutcome::NotFound;
        EventRecord event;
        event.at = at;
        event.serverId = serverId;
        event.kind = EventKind::Delete;
        event.actor = actor;
        // The device row is gone; the audit log keeps what it was.
        event.detail =
            QStringLiteral("fingerprint=%1 hostname=%2").arg(existing.value()->fingerprint, existing.value()->hostname);
        if (Status logged = d->insertEvent(operation, event); !logged)
            return logged.error();
        return WriteOutcome::Done;
    });
}

Status Registry::recordEvent(const EventRecord &event)
{
    const QString operation = QStringLiteral("recording a %1 event").arg(event.kind);
    if (Status checked = checkEvent(event); !checked)
        return Status::failure(QStringLiteral("%1: %2").arg(operation, checked.errorMessage()));
    return d->insertEvent(operation, event);
}

Status Registry::recordLastSeen(const QList<LastSeen> &batch)
{
    const QString operation = QStringLiteral("recording last-seen times");
    // One entry per device, the latest; in server_id order so that concurrent flushes
    // (several service processes on PostgreSQL) lock rows in the same order.
    std::map<QString, LastSeen> latest;
    for (const LastSeen &entry : batch) {
        if (entry.serverId.isEmpty() || !entry.at.isValid())
            continue;
        auto [it, inserted] = latest.try_emplace(entry.serverId, entry);
        if (!inserted && it->second.at < entry.at)
            it->second = entry;
    }
    if (latest.empty())
        return {};
    const std::vector<LastSeen> entries = [&] {
        std::vector<LastSeen> list;
        list.reserve(latest.size());
        for (auto &[id, entry] : latest)
            list.push_back(entry);
        return list;
    }();

    auto outcome = d->transaction(operation, [&]() -> Result<WriteOutcome> {
        for (size_t first = 0; first < entries.size(); first += kLastSeenChunk) {
            const size_t count = std::min<size_t>(kLastSeenChunk, entries.size() - first);
            QStringList rows;
            QVariantList arguments;
            for (size_t i = first; i < first + count; ++i) {
                rows.append(QStringLiteral("(?, CAST(? AS BIGINT), ?)"));
                arguments << entries[i].serverId << timeValue(entries[i].at) << textValue(entries[i].address);
            }
            // The VALUES columns are column1.. on both SQLite and PostgreSQL.
            auto updated =
                d->exec(operation,
                        QStringLiteral("UPDATE devices SET last_seen_at = v.column2, last_address = v.column3 "
                                       "FROM (VALUES %1) AS v WHERE devices.server_id = v.column1 "
                                       "AND (devices.last_seen_at IS NULL OR devices.last_seen_at < v.column2)")
                            .arg(rows.join(QLatin1String(", "))),
                        arguments);
            if (!updated)
                return updated.error();
        }
        return WriteOutcome::Done;
    });
    if (!outcome)
        return outcome.error();
    if (outcome.value() != WriteOutcome::Done)
        return Status::failure(
            QStringLiteral("%1: a concurrent writer interfered (%2)").arg(operation, toString(outcome.value())));
    return {};
}

} // namespace imprint::storage
