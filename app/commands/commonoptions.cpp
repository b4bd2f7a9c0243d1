#include "commonoptions.h"

#include "common/secretfile.h"
#include "protocol/codec.h"

#include <QDir>
#include <QStandardPaths>

#include <unistd.h>

namespace commonoptions {

const char *const kBuildSecretHelp =
    "give the build secret with --secret-file FILE, --secret SECRET or the environment "
    "variable IMPRINT_BUILD_SECRET";

QString defaultServiceDirectory()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/imprint-service");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/imprint/service");
}

QString defaultCaDirectory()
{
    return defaultServiceDirectory() + QStringLiteral("/ca");
}

QString defaultDatabaseUrl()
{
    return QStringLiteral("sqlite://") + defaultServiceDirectory() + QStringLiteral("/registry.db");
}

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
}

QCommandLineOption caDirOption()
{
    return QCommandLineOption(QStringLiteral("ca-dir"),
                              QStringLiteral("CA directory holding ca.crt and ca.key (default: %1).")
                                  .arg(defaultCaDirectory()),
                              QStringLiteral("DIR"), defaultCaDirectory());
}

QCommandLineOption dbOption()
{
    return QCommandLineOption(QStringLiteral("db"),
                              QStringLiteral("Registry database: sqlite:///path/file.db, a bare path (SQLite) or "
                                             "postgresql://user@host:port/db (default: %1).")
                                  .arg(defaultDatabaseUrl()),
                              QStringLiteral("URL"), defaultDatabaseUrl());
}

QCommandLineOption secretFileOption()
{
    return QCommandLineOption(QStringLiteral("secret-file"),
                              QStringLiteral("Read build secrets from FILE, one per line."), QStringLiteral("FILE"));
}

QCommandLineOption secretOption()
{
    return QCommandLineOption(
        QStringLiteral("secret"),
        QStringLiteral("A build secret (visible to other users in the process list; prefer --secret-file)."),
        QStringLiteral("SECRET"));
}

imprint::Result<QList<QByteArray>> buildSecrets(const QCommandLineParser &parser)
{
    QList<QByteArray> secrets;
    for (const QString &path : parser.values(secretFileOption())) {
        auto fromFile = imprint::readSecretFile(path);
        if (!fromFile)
            return fromFile.error();
        secrets += fromFile.value();
    }
    for (const QString &secret : parser.values(secretOption())) {
        if (secret.isEmpty())
            return imprint::Result<QList<QByteArray>>::failure(QStringLiteral("--secret must not be empty"));
        secrets << secret.toUtf8();
    }
    if (secrets.isEmpty()) {
        const QByteArray fromEnvironment = qgetenv("IMPRINT_BUILD_SECRET");
        if (!fromEnvironment.isEmpty())
            secrets << fromEnvironment;
    }
    return secrets;
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? imprint::protocol::rfc3339(time) : QStringLiteral("never");
}

QString timeJson(const QDateTime &time)
{
    return imprint::protocol::rfc3339(time);
}

} // namespace commonoptions
