#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDateTime>
#include <QList>
#include <QString>

// Options and defaults that several commands share, so that they are spelled alike.
namespace commonoptions {

// Where `imprint serve` keeps its CA and registry when not told: /var/lib/imprint-service
// for root, otherwise the user's data directory (e.g. ~/.local/share/imprint/service).
QString defaultServiceDirectory();
QString defaultCaDirectory();
QString defaultDatabaseUrl();

QCommandLineOption jsonOption();
QCommandLineOption caDirOption();
QCommandLineOption dbOption();

// Build secrets: --secret-file FILE (one per line; blank lines and lines starting with #
// ignored), --secret S (repeatable), or the environment variable IMPRINT_BUILD_SECRET.
QCommandLineOption secretFileOption();
QCommandLineOption secretOption();
// Returns the secrets given by any of the three means; an empty list when none was given.
imprint::Result<QList<QByteArray>> buildSecrets(const QCommandLineParser &parser);
extern const char *const kBuildSecretHelp;

// RFC 3339 in UTC, or "never" for a null time, for text output.
QString timeText(const QDateTime &time);
// RFC 3339 in UTC, or null for JSON output.
QString timeJson(const QDateTime &time);

} // namespace commonoptions
