#pragma once

#include "storage/databaseurl.h"

#include <QList>
#include <QString>
#include <QStringList>

// The registry's schema as an ordered list of migrations. Version N is applied in one
// transaction together with the row N of schema_version; a migration once released is
// never edited, only followed by a new one.
namespace imprint::storage::schema {

struct Migration {
    int version;
    QString description;
    QStringList statements;
};

// Migrations 1..latestVersion(), in order, in the dialect of `backend`.
QList<Migration> migrations(DatabaseUrl::Backend backend);
int latestVersion();

// Serializes migrations between processes on PostgreSQL (pg_advisory_xact_lock).
inline constexpr qint64 kMigrationLockKey = 0x696d7072696e74; // "imprint"

} // namespace imprint::storage::schema
