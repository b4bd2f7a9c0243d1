#include "storage/databaseurl.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace imprint::storage {

namespace {

Result<QString> percentDecode(const QString &text, const QString &what)
{
    static const QRegularExpression badEscape(QStringLiteral("%(?![0-9A-Fa-f]{2})"));
    if (text.contains(badEscape))
        return Result<QString>::failure(
            QStringLiteral("invalid database URL: bad percent-encoding in the %1").arg(what));
    return QUrl::fromPercentEncoding(text.toUtf8());
}

QString percentEncode(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// libpq options passed through unchanged: TLS to the database and connection tuning.
const QStringList &passthroughOptions()
{
    static const QStringList options{QStringLiteral("sslmode"),
                                     QStringLiteral("sslrootcert"),
                                     QStringLiteral("sslcert"),
                                     QStringLiteral("sslkey"),
                                     QStringLiteral("connect_timeout"),
                                     QStringLiteral("application_name"),
                                     QStringLiteral("target_session_attrs")};
    return options;
}

Result<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return Result<int>::failure(
            QStringLiteral("invalid database URL: port '%1' is not a number from 1 to 65535").arg(text));
    return port;
}

Result<DatabaseUrl> parseSqlite(const QString &rest, bool fromUrl)
{
    QString path = rest;
    if (fromUrl) {
        if (path.startsWith(QLatin1String("//")) && !path.startsWith(QLatin1String("///")))
            return Result<DatabaseUrl>::failure(
                QStringLiteral("invalid database URL: 'sqlite://%1' is ambiguous; write sqlite:///absolute/path.db, "
                               "sqlite:relative/path.db or just the path")
                    .arg(path.mid(2)));
        if (path.startsWith(QLatin1String("///")))
            path = path.mid(2);
        if (path.contains(QLatin1Char('?')) || path.contains(QLatin1Char('#')))
            return Result<DatabaseUrl>::failure(
                QStringLiteral("invalid database URL: SQLite URLs take no parameters ('?' or '#' in '%1')").arg(rest));
        auto decoded = percentDecode(path, QStringLiteral("SQLite path"));
        if (!decoded)
            return decoded.error();
        path = decoded.value();
    }
    if (path.isEmpty())
        return Result<DatabaseUrl>::failure(QStringLiteral("invalid database URL: the SQLite path is empty"));
    if (path == QLatin1String(":memory:"))
        return Result<DatabaseUrl>::failure(
            QStringLiteral("an in-memory SQLite database is not supported: every thread has its own connection and "
                           "would see its own empty database; use a file"));
    if (path.endsWith(QLatin1Char('/')))
        return Result<DatabaseUrl>::failure(
            QStringLiteral("invalid database URL: the SQLite path '%1' names a directory, not a file").arg(path));
    DatabaseUrl url;
    url.backend = DatabaseUrl::Backend::Sqlite;
    url.path = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    return url;
}

Result<DatabaseUrl> parsePostgres(const QString &text, const QString &scheme)
{
    const auto fail = [](const QString &why) {
        return Result<DatabaseUrl>::failure(QStringLiteral("invalid database URL: %1").arg(why));
    };
    QString rest = text.mid(scheme.size() + 1);
    if (!rest.startsWith(QLatin1String("//")))
        return fail(QStringLiteral("expected %1://user@host/database").arg(scheme));
    rest = rest.mid(2);
    if (rest.contains(QLatin1Char('#')))
        return fail(QStringLiteral("a PostgreSQL URL has no '#' fragment"));

    QString query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    QString authority = rest;
    QString path;
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }

    DatabaseUrl url;
    url.backend = DatabaseUrl::Backend::Postgres;

    QString hostPort = authority;
    if (const qsizetype at = authority.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QString userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        auto user = percentDecode(colon >= 0 ? userInfo.left(colon) : userInfo, QStringLiteral("user name"));
        if (!user)
            return user.error();
        url.user = user.value();
        if (colon >= 0) {
            auto password = percentDecode(userInfo.mid(colon + 1), QStringLiteral("password"));
            if (!password)
                return password.error();
            url.password = password.value();
        }
    }

    bool portGiven = false;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("unterminated IPv6 address '%1'").arg(hostPort));
        url.host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return fail(QStringLiteral("unexpected '%1' after the IPv6 address").arg(after));
            auto port = parsePort(after.mid(1));
            if (!port)
                return port.error();
            url.port = port.value();
            portGiven = true;
        }
    } else if (const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        url.host = hostPort.left(colon);
        auto port = parsePort(hostPort.mid(colon + 1));
        if (!port)
            return port.error();
        url.port = port.value();
        portGiven = true;
    } else {
        url.host = hostPort;
    }
    {
        auto host = percentDecode(url.host, QStringLiteral("host"));
        if (!host)
            return host.error();
        url.host = host.value();
    }

    auto database = percentDecode(path, QStringLiteral("database name"));
    if (!database)
        return database.error();
    url.database = database.value();
    if (url.database.contains(QLatin1Char('/')))
        return fail(QStringLiteral("the database name '%1' contains a '/'").arg(url.database));

    QSet<QString> seen;
    QStringList options;
    const QStringList parameters = query.split(QLatin1Char('&'), Qt::SkipEmptyParts);
    for (const QString &parameter : parameters) {
        const qsizetype eq = parameter.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(QStringLiteral("parameter '%1' is not key=value").arg(parameter));
        const QString key = parameter.left(eq);
        auto decodedValue = percentDecode(parameter.mid(eq + 1), QStringLiteral("parameter %1").arg(key));
        if (!decodedValue)
            return decodedValue.error();
        const QString value = decodedValue.value();
        if (seen.contains(key))
            return fail(QStringLiteral("parameter '%1' is given twice").arg(key));
        seen.insert(key);
        if (key == QLatin1String("host")) {
            if (!url.host.isEmpty())
                return fail(QStringLiteral("both a host in the URL and ?host= are given"));
            if (value.startsWith(QLatin1Char('/')))
                url.socketDirectory = value;
            else
                url.host = value;
        } else if (key == QLatin1String("port")) {
            if (portGiven)
                return fail(QStringLiteral("both a port in the URL and ?port= are given"));
            auto port = parsePort(value);
            if (!port)
                return port.error();
            url.port = port.value();
        } else if (key == QLatin1String("user")) {
            if (!url.user.isEmpty())
                return fail(QStringLiteral("both a user in the URL and ?user= are given"));
            url.user = value;
        } else if (key == QLatin1String("password")) {
            if (!url.password.isEmpty())
                return fail(QStringLiteral("both a password in the URL and ?password= are given"));
            url.password = value;
        } else if (key == QLatin1String("dbname")) {
            if (!url.database.isEmpty())
                return fail(QStringLiteral("both a database in the URL and ?dbname= are given"));
            url.database = value;
        } else if (passthroughOptions().contains(key)) {
            // QSqlDatabase's connect options are separated by ';'.
            if (value.contains(QLatin1Char(';')))
                return fail(QStringLiteral("parameter '%1' must not contain ';'").arg(key));
            options.append(key + QLatin1Char('=') + value);
        } else {
            return fail(QStringLiteral("unknown parameter '%1' (known: host, port, user, password, dbname, %2)")
                            .arg(key, passthroughOptions().join(QLatin1String(", "))));
        }
    }
    if (url.database.isEmpty())
        return fail(QStringLiteral("no database name (expected %1://user@host/database)").arg(scheme));
    url.options = options.join(QLatin1Char(';'));
    return url;
}

} // namespace

QString DatabaseUrl::display() const
{
    if (backend == Backend::Sqlite) {
        // Escaped so that what the log shows parses back to the same file.
        QString shown = path;
        shown.replace(QLatin1Char('%'), QLatin1String("%25"))
            .replace(QLatin1Char('?'), QLatin1String("%3F"))
            .replace(QLatin1Char('#'), QLatin1String("%23"));
        return QStringLiteral("sqlite://") + shown;
    }
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        text += percentEncode(user) + QLatin1Char('@');
    text += host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : percentEncode(host);
    text += QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + percentEncode(database);
    QStringList parameters;
    if (!socketDirectory.isEmpty())
        parameters.append(QStringLiteral("host=") + socketDirectory);
    const QStringList extra = options.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &option : extra) {
        const qsizetype eq = option.indexOf(QLatin1Char('='));
        parameters.append(option.left(eq) + QLatin1Char('=') + percentEncode(option.mid(eq + 1)));
    }
    if (!parameters.isEmpty())
        text += QLatin1Char('?') + parameters.join(QLatin1Char('&'));
    return text;
}

Result<DatabaseUrl> parseDatabaseUrl(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return Result<DatabaseUrl>::failure(QStringLiteral("invalid database URL: it is empty"));
    // A scheme is at least two characters, so that "C:..." never looks like one.
    static const QRegularExpression schemePattern(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]+):"));
    const auto match = schemePattern.match(text);
    if (!match.hasMatch())
        return parseSqlite(text, false);
    const QString scheme = match.captured(1);
    const QString lower = scheme.toLower();
    if (lower == QLatin1String("sqlite") || lower == QLatin1String("sqlite3"))
        return parseSqlite(text.mid(scheme.size() + 1), true);
    if (lower == QLatin1String("postgresql") || lower == QLatin1String("postgres"))
        return parsePostgres(text, scheme);
    return Result<DatabaseUrl>::failure(
        QStringLiteral("unsupported database URL scheme '%1': use a file path or sqlite:///path for SQLite, "
                       "postgresql://user@host/database for PostgreSQL")
            .arg(scheme));
}

} // namespace imprint::storage
