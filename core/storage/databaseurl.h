#pragma once

#include "common/result.h"

#include <QString>

namespace imprint::storage {

// Where the device registry lives, parsed from the --database option.
//
// Accepted forms:
//   /var/lib/imprint/registry.db          a bare path: SQLite (relative paths are made
//   registry.db                           absolute against the working directory)
//   sqlite:///var/lib/imprint/registry.db SQLite, absolute path (three slashes)
//   sqlite:registry.db                    SQLite, relative path (no slashes)
//   postgresql://user[:password]@host[:port]/database[?param=value&...]
//   postgres://...                        the same
// `sqlite://name.db` (two slashes) is refused: it reads as a host name, and guessing
// between "relative" and "absolute" would put the registry somewhere unexpected.
// User, password and database are percent-decoded. PostgreSQL query parameters:
//   host=/run/postgresql   a directory is a Unix socket directory (libpq's convention),
//                          anything else a host name (then the URL has no host of its own)
//   port, user, password, dbname   as in libpq
//   sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name,
//   target_session_attrs   passed to libpq unchanged (DatabaseUrl::options)
// Anything else is an error naming the offending part.
struct DatabaseUrl {
    enum class Backend { Sqlite, Postgres };

    Backend backend = Backend::Sqlite;
    QString path; // SQLite: absolute path of the database file
    // PostgreSQL:
    QString host; // empty: libpq's default (the local socket)
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString socketDirectory; // from ?host=/dir; used when `host` is empty
    QString options;         // further libpq options, "key=value;key=value" (values unquoted)

    // The URL without the password, for logs and error messages.
    QString display() const;
};

Result<DatabaseUrl> parseDatabaseUrl(const QString &text);

} // namespace imprint::storage
