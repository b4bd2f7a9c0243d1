#pragma once

#include "common/result.h"
#include "storage/databaseurl.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace imprint::testing {

// A PostgreSQL server for tests. With IMPRINT_TEST_POSTGRES_URL set (a URL whose user
// may create databases), that server is used; otherwise start() runs a private one:
// initdb into a temporary directory (as the `postgres` user when running as root, since
// initdb refuses root), then pg_ctl on 127.0.0.1 with a free port and a Unix socket in
// the same directory. Start one per test executable and take a fresh database per test.
class PostgresServer {
public:
    PostgresServer() = default;
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // Fails (with the package to install) if the PostgreSQL binaries are missing.
    Status start();
    // Stops a private server and removes its directory; drops the databases made on an
    // external one.
    void stop();

    // A new, empty database with a random name.
    Result<storage::DatabaseUrl> createDatabase();
    Status dropDatabase(const QString &name);

    bool isExternal() const { return m_external; }
    bool isRunning() const { return m_running; }
    qint64 startupMilliseconds() const { return m_startupMs; }
    // The server's maintenance database ("postgres", or the external URL's database).
    const storage::DatabaseUrl &adminUrl() const { return m_admin; }
    // The directory of the private server's Unix socket (empty for an external server).
    QString socketDirectory() const;

private:
    Status startPrivate();
    Status runAsServerUser(const QString &program, const QStringList &arguments);
    Status execAdmin(const QString &sql);
    void startWatchdog();

    bool m_running = false;
    bool m_external = false;
    qint64 m_startupMs = 0;
    storage::DatabaseUrl m_admin;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    QStringList m_created;
};

} // namespace imprint::testing
