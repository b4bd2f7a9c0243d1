#include "support/postgresserver.h"

#include "support/testing.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QVersionNumber>

#include <algorithm>
#include <pwd.h>
#include <unistd.h>

namespace imprint::testing {

namespace {

const char *const kMissingBinaries =
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package 'postgresql' "
    "(or point IMPRINT_TEST_POSTGRES_URL at a server)";

QString findBinDir()
{
    const ProcessResult config = runProcess(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
    if (config.finished && config.exitCode == 0) {
        const QString dir = QString::fromLocal8Bit(config.out).trimmed();
        if (QFileInfo(dir + QStringLiteral("/initdb")).isExecutable())
            return dir;
    }
    // pg_config comes with libpq-dev and may be missing or point elsewhere; Debian puts
    // the server into /usr/lib/postgresql/<major>/bin. Take the newest.
    QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList majors = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(majors.begin(), majors.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &major : majors) {
        const QString dir = versions.filePath(major + QStringLiteral("/bin"));
        if (QFileInfo(dir + QStringLiteral("/initdb")).isExecutable())
            return dir;
    }
    if (const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb")); !initdb.isEmpty())
        return QFileInfo(initdb).absolutePath();
    return {};
}

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString output(const ProcessResult &result)
{
    return QString::fromLocal8Bit(result.out + result.err).trimmed();
}

} // namespace

PostgresServer::~PostgresServer()
{
    stop();
}

QString PostgresServer::socketDirectory() const
{
    return m_dir && !m_external ? m_dir->path() : QString();
}

Status PostgresServer::start()
{
    if (m_running)
        return {};
    QElapsedTimer timer;
    timer.start();
    const QString external = qEnvironmentVariable("IMPRINT_TEST_POSTGRES_URL");
    if (!external.isEmpty()) {
        auto url = storage::parseDatabaseUrl(external);
        if (!url)
            return Status::failure(QStringLiteral("IMPRINT_TEST_POSTGRES_URL: ") + url.errorMessage());
        if (url->backend != storage::DatabaseUrl::Backend::Postgres)
            return Status::failure(QStringLiteral("IMPRINT_TEST_POSTGRES_URL is not a PostgreSQL URL"));
        m_admin = url.value();
        m_external = true;
        m_running = true;
        if (Status reachable = execAdmin(QStringLiteral("SELECT 1")); !reachable) {
            m_running = false;
            return reachable;
        }
    } else {
        if (Status started = startPrivate(); !started)
            return started;
    }
    m_startupMs = timer.elapsed();
    return {};
}

Status PostgresServer::runAsServerUser(const QString &program, const QStringList &arguments)
{
    QString command = QDir(m_binDir).filePath(program);
    QStringList args = arguments;
    if (::geteuid() == 0) {
        // initdb and postgres refuse to run as root.
        args.prepend(command);
        args.prepend(QStringLiteral("--"));
        args.prepend(QStringLiteral("postgres"));
        args.prepend(QStringLiteral("-u"));
        command = QStringLiteral("runuser");
    }
    const ProcessResult result = runProcess(command, args);
    if (!result.finished || result.exitCode != 0)
        return Status::failure(QStringLiteral("%1 %2 failed (exit %3): %4")
                                   .arg(command, args.join(QLatin1Char(' ')))
                                   .arg(result.exitCode)
                                   .arg(output(result)));
    return {};
}

Status PostgresServer::startPrivate()
{
    m_binDir = findBinDir();
    if (m_binDir.isEmpty())
        return Status::failure(QString::fromLatin1(kMissingBinaries));
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/imprint-pg-XXXXXX"));
    if (!m_dir->isValid())
        return Status::failure(QStringLiteral("cannot create a temporary directory: ") + m_dir->errorString());
    if (::geteuid() == 0) {
        const passwd *user = ::getpwnam("postgres");
        if (!user)
            return Status::failure(QStringLiteral("running as root, but there is no 'postgres' user to run the test "
                                                  "server as (it comes with the Debian package 'postgresql')"));
        if (::chown(QFile::encodeName(m_dir->path()).constData(), user->pw_uid, user->pw_gid) != 0)
            return Status::failure(QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir->path()));
    }
    const QString data = m_dir->filePath(QStringLiteral("data"));
    if (Status initialized =
            runAsServerUser(QStringLiteral("initdb"),
                            {QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"),
                             QStringLiteral("-U"), QStringLiteral("imprint"), QStringLiteral("-E"),
                             QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")});
        !initialized)
        return initialized;

    // The port can be taken between probing and binding (other suites run in parallel).
    Status started = Status::failure(QStringLiteral("no free port"));
    for (int attempt = 0; attempt < 5 && !started; ++attempt) {
        const int port = freePort();
        if (port == 0)
            continue;
        // Durability settings off: the data lives as long as the test.
        const QString options = QStringLiteral("-c listen_addresses=127.0.0.1 -c port=%1 -c unix_socket_directories=%2 "
                                               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                                               "-c max_connections=200")
                                    .arg(port)
                                    .arg(m_dir->path());
        started =
            runAsServerUser(QStringLiteral("pg_ctl"),
                            {QStringLiteral("-D"), data, QStringLiteral("-l"),
                             m_dir->filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("-t"),
                             QStringLiteral("60"), QStringLiteral("-o"), options, QStringLiteral("start")});
        if (started) {
            m_admin = storage::DatabaseUrl();
            m_admin.backend = storage::DatabaseUrl::Backend::Postgres;
            m_admin.host = QStringLiteral("127.0.0.1");
            m_admin.port = port;
            m_admin.user = QStringLiteral("imprint");
            m_admin.database = QStringLiteral("postgres");
        }
    }
    if (!started) {
        QFile log(m_dir->filePath(QStringLiteral("server.log")));
        const QString tail =
            log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(2000)) : QString();
        return Status::failure(started.errorMessage() + QStringLiteral("\nserver log:\n") + tail);
    }
    m_running = true;
    startWatchdog();
    return {};
}

void PostgresServer::startWatchdog()
{
    // If the test process dies without running its destructors (a crash, abort() from a
    // sanitizer), stop the server and remove its directory anyway: a detached shell
    // polls this process and cleans up once it is gone (a no-op after a normal stop).
    const QString pgCtl = QDir(m_binDir).filePath(QStringLiteral("pg_ctl"));
    const QString stopCommand = QStringLiteral("%1'%2' -D '%3' -m immediate -w stop")
                                    .arg(::geteuid() == 0 ? QStringLiteral("runuser -u postgres -- ") : QString(),
                                         pgCtl, m_dir->filePath(QStringLiteral("data")));
    const QString script = QStringLiteral("while kill -0 %1 2>/dev/null; do sleep 1; done; "
                                          "if [ -d '%2' ]; then %3; rm -rf '%2'; fi")
                               .arg(QCoreApplication::applicationPid())
                               .arg(m_dir->path(), stopCommand);
    QProcess watchdog;
    watchdog.setProgram(QStringLiteral("sh"));
    watchdog.setArguments({QStringLiteral("-c"), script});
    // No inherited pipes, or CTest would wait for the watchdog too.
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    if (!watchdog.startDetached())
        qWarning("could not start the PostgreSQL watchdog; a crashed test may leave the server running");
}

void PostgresServer::stop()
{
    if (!m_running)
        return;
    if (m_external) {
        for (const QString &name : std::as_const(m_created))
            (void)execAdmin(QStringLiteral("DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)").arg(name));
    } else {
        const Status stopped =
            runAsServerUser(QStringLiteral("pg_ctl"),
                            {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-m"),
                             QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")});
        if (!stopped)
            qWarning("%s", qPrintable(stopped.errorMessage()));
    }
    m_created.clear();
    m_running = false;
    m_dir.reset();
}

Status PostgresServer::execAdmin(const QString &sql)
{
    if (!m_running)
        return Status::failure(QStringLiteral("the PostgreSQL test server is not running"));
    static QAtomicInteger<int> counter;
    const QString name = QStringLiteral("imprint-test-admin-%1").arg(counter.fetchAndAddRelaxed(1));
    Status status;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(m_admin.host.isEmpty() ? m_admin.socketDirectory : m_admin.host);
        db.setPort(m_admin.port);
        db.setUserName(m_admin.user);
        db.setPassword(m_admin.password);
        db.setDatabaseName(m_admin.database);
        if (!db.open()) {
            status = Status::failure(
                QStringLiteral("cannot connect to %1: %2").arg(m_admin.display(), db.lastError().text()));
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                status = Status::failure(
                    QStringLiteral("%1 on %2: %3").arg(sql, m_admin.display(), query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return status;
}

Result<storage::DatabaseUrl> PostgresServer::createDatabase()
{
    const QString name =
        QStringLiteral("imprint_test_%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    if (Status created = execAdmin(QStringLiteral("CREATE DATABASE \"%1\"").arg(name)); !created)
        return created.error();
    m_created.append(name);
    storage::DatabaseUrl url = m_admin;
    url.database = name;
    return url;
}

Status PostgresServer::dropDatabase(const QString &name)
{
    m_created.removeAll(name);
    return execAdmin(QStringLiteral("DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)").arg(name));
}

} // namespace imprint::testing
