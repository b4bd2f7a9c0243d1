// Parsing of the --database URL (no database needed).

#include "storage/databaseurl.h"

#include <QDir>
#include <QTest>

using namespace imprint::storage;

class TestDatabaseUrl : public QObject {
    Q_OBJECT

private slots:
    void sqlite_data();
    void sqlite();
    void postgres_data();
    void postgres();
    void rejects_data();
    void rejects();
    void displayHidesPassword();
};

void TestDatabaseUrl::sqlite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("path");
    const QString cwd = QDir::currentPath();
    QTest::newRow("absolute URL") << "sqlite:///var/lib/imprint/registry.db"
                                  << "/var/lib/imprint/registry.db";
    QTest::newRow("absolute, single slash") << "sqlite:/var/lib/imprint/registry.db"
                                            << "/var/lib/imprint/registry.db";
    QTest::newRow("relative URL") << "sqlite:data/registry.db" << cwd + "/data/registry.db";
    QTest::newRow("percent-encoded") << "sqlite:///srv/my%20data/r.db"
                                     << "/srv/my data/r.db";
    QTest::newRow("bare absolute path") << "/var/lib/imprint/registry.db"
                                        << "/var/lib/imprint/registry.db";
    QTest::newRow("bare relative path") << "registry.db" << cwd + "/registry.db";
    QTest::newRow("bare path, dot-dot") << "/var/lib/x/../imprint/r.db"
                                        << "/var/lib/imprint/r.db";
    QTest::newRow("bare path keeps percent") << "/tmp/100%25.db"
                                             << "/tmp/100%25.db";
    QTest::newRow("upper-case scheme") << "SQLITE:///r.db"
                                       << "/r.db";
    QTest::newRow("surrounding blanks") << "  /r.db "
                                        << "/r.db";
}

void TestDatabaseUrl::sqlite()
{
    QFETCH(QString, text);
    QFETCH(QString, path);
    const auto url = parseDatabaseUrl(text);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.errorMessage()));
    QCOMPARE(url->backend, DatabaseUrl::Backend::Sqlite);
    QCOMPARE(url->path, path);
    if (!path.contains(QLatin1Char('%')))
        QCOMPARE(url->display(), "sqlite://" + path);
    // What display() shows parses back to the same file.
    QCOMPARE(parseDatabaseUrl(url->display()).value().path, path);
}

void TestDatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("socketDirectory");
    QTest::addColumn<QString>("options");
    QTest::addColumn<QString>("display");
    QTest::newRow("full") << "postgresql://imprint:secret@db.example.org:5433/registry"
                          << "db.example.org" << 5433 << "imprint"
                          << "secret"
                          << "registry"
                          << ""
                          << ""
                          << "postgresql://imprint@db.example.org:5433/registry";
    QTest::newRow("postgres scheme, default port") << "postgres://imprint@db/registry"
                                                   << "db" << 5432 << "imprint"
                                                   << ""
                                                   << "registry"
                                                   << ""
                                                   << ""
                                                   << "postgresql://imprint@db:5432/registry";
    QTest::newRow("percent-decoding") << "postgresql://im%40print:p%40ss%3Aw%2Fd@db/reg%20istry"
                                      << "db" << 5432 << "im@print"
                                      << "p@ss:w/d"
                                      << "reg istry"
                                      << ""
                                      << ""
                                      << "postgresql://im%40print@db:5432/reg%20istry";
    QTest::newRow("socket directory") << "postgresql://imprint@/registry?host=/run/postgresql"
                                      << "" << 5432 << "imprint"
                                      << ""
                                      << "registry"
                                      << "/run/postgresql"
                                      << ""
                                      << "postgresql://imprint@:5432/registry?host=/run/postgresql";
    QTest::newRow("no user, socket, port") << "postgresql:///registry?host=%2Ftmp%2Fpg&port=6000"
                                           << "" << 6000 << ""
                                           << ""
                                           << "registry"
                                           << "/tmp/pg"
                                           << ""
                                           << "postgresql://:6000/registry?host=/tmp/pg";
    QTest::newRow("IPv6") << "postgresql://u@[::1]:5000/r"
                          << "::1" << 5000 << "u"
                          << ""
                          << "r"
                          << ""
                          << ""
                          << "postgresql://u@[::1]:5000/r";
    QTest::newRow("host parameter") << "postgresql:///r?host=db&user=u&password=pw"
                                    << "db" << 5432 << "u"
                                    << "pw"
                                    << "r"
                                    << ""
                                    << ""
                                    << "postgresql://u@db:5432/r";
    QTest::newRow("dbname parameter") << "postgresql://u@db?dbname=r"
                                      << "db" << 5432 << "u"
                                      << ""
                                      << "r"
                                      << ""
                                      << ""
                                      << "postgresql://u@db:5432/r";
    QTest::newRow("libpq options")
        << "postgresql://u@db/r?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=a%20b"
        << "db" << 5432 << "u"
        << ""
        << "r"
        << ""
        << "sslmode=verify-full;sslrootcert=/etc/ca.pem;application_name=a b"
        << "postgresql://u@db:5432/r?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
           "&application_name=a%20b";
}

void TestDatabaseUrl::postgres()
{
    QFETCH(QString, text);
    const auto url = parseDatabaseUrl(text);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.errorMessage()));
    QCOMPARE(url->backend, DatabaseUrl::Backend::Postgres);
    QTEST(url->host, "host");
    QTEST(url->port, "port");
    QTEST(url->user, "user");
    QTEST(url->password, "password");
    QTEST(url->database, "database");
    QTEST(url->socketDirectory, "socketDirectory");
    QTEST(url->options, "options");
    QTEST(url->display(), "display");
}

void TestDatabaseUrl::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("blank") << "   "
                           << "empty";
    QTest::newRow("mysql") << "mysql://u@h/db"
                           << "unsupported database URL scheme 'mysql'";
    QTest::newRow("http") << "http://example.org/db"
                          << "unsupported database URL scheme 'http'";
    QTest::newRow("sqlite, two slashes") << "sqlite://registry.db"
                                         << "ambiguous";
    QTest::newRow("sqlite, empty path") << "sqlite:"
                                        << "path is empty";
    QTest::newRow("sqlite, parameters") << "sqlite:///r.db?mode=ro"
                                        << "no parameters";
    QTest::newRow("sqlite, directory") << "/var/lib/imprint/"
                                       << "directory";
    QTest::newRow("in-memory") << ":memory:"
                               << "in-memory";
    QTest::newRow("sqlite, bad escape") << "sqlite:///r%zz.db"
                                        << "percent-encoding";
    QTest::newRow("postgres, no slashes") << "postgresql:db"
                                          << "expected postgresql://";
    QTest::newRow("postgres, no database") << "postgresql://u@db"
                                           << "no database name";
    QTest::newRow("postgres, empty database") << "postgresql://u@db/"
                                              << "no database name";
    QTest::newRow("postgres, port not a number") << "postgresql://u@db:abc/r"
                                                 << "port 'abc'";
    QTest::newRow("postgres, port zero") << "postgresql://u@db:0/r"
                                         << "port '0'";
    QTest::newRow("postgres, port too large") << "postgresql://u@db:70000/r"
                                              << "port '70000'";
    QTest::newRow("postgres, unknown parameter") << "postgresql://u@db/r?foo=1"
                                                 << "unknown parameter 'foo'";
    QTest::newRow("postgres, parameter twice") << "postgresql://u@db/r?sslmode=a&sslmode=b"
                                               << "given twice";
    QTest::newRow("postgres, parameter without value") << "postgresql://u@db/r?sslmode"
                                                       << "not key=value";
    QTest::newRow("postgres, host twice") << "postgresql://u@db/r?host=/run/pg"
                                          << "both a host";
    QTest::newRow("postgres, port twice") << "postgresql://u@db:1/r?port=2"
                                          << "both a port";
    QTest::newRow("postgres, fragment") << "postgresql://u@db/r#x"
                                        << "fragment";
    QTest::newRow("postgres, slash in database") << "postgresql://u@db/r/s"
                                                 << "contains a '/'";
    QTest::newRow("postgres, IPv6 unterminated") << "postgresql://u@[::1/r"
                                                 << "IPv6";
    QTest::newRow("postgres, bad escape") << "postgresql://u:%4@db/r"
                                          << "percent-encoding in the password";
    QTest::newRow("postgres, semicolon in option") << "postgresql://u@db/r?application_name=a;b"
                                                   << "';'";
}

void TestDatabaseUrl::rejects()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto url = parseDatabaseUrl(text);
    QVERIFY(!url.ok());
    QVERIFY2(url.errorMessage().contains(message), qPrintable(url.errorMessage()));
}

void TestDatabaseUrl::displayHidesPassword()
{
    for (const QString &text : {QStringLiteral("postgresql://imprint:hunter2@db/registry"),
                                QStringLiteral("postgresql://imprint@db/registry?password=hunter2")}) {
        const auto url = parseDatabaseUrl(text);
        QVERIFY(url.ok());
        QCOMPARE(url->password, QStringLiteral("hunter2"));
        QVERIFY(!url->display().contains(QStringLiteral("hunter2")));
        QCOMPARE(url->display(), QStringLiteral("postgresql://imprint@db:5432/registry"));
    }
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_registry_url.moc"
