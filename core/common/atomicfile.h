#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <sys/types.h>

namespace imprint {

// Steps of an atomic write, named so that tests can inject a failure at each one.
enum class AtomicWriteStep { Create, Write, Flush, Rename, SyncDirectory };

// Test hook: when set, called before each step; returning false makes that step fail
// as if the system call had failed. Never set in production code.
using AtomicWriteFaultHook = bool (*)(const QString &path, AtomicWriteStep step);
void setAtomicWriteFaultHook(AtomicWriteFaultHook hook);

// Writes `data` to a temporary file beside `path` with `mode`, flushes it to disk,
// renames it over `path` and syncs the directory: a crash leaves the old content or
// the new, never a torn file. The temporary file is removed on failure.
Status writeFileAtomically(const QString &path, const QByteArray &data, mode_t mode);

// Writes and flushes `data` to `path` itself, replacing nothing: `path` is a staging
// name that a later renameFile() moves into place. Used to switch a set of files.
Status writeFileDurably(const QString &path, const QByteArray &data, mode_t mode);

// rename(2) with a message that names both paths.
Status renameFile(const QString &from, const QString &to);

// fsync(2) on a directory, so that renames inside it survive a power loss.
Status syncDirectory(const QString &directory);

// Creates `directory` (and parents) if needed and sets its mode; an existing directory
// gets `mode` too, so a store left world-readable by an older tool is tightened.
Status ensureDirectory(const QString &directory, mode_t mode);

// Reads a whole file, refusing anything larger than `maxBytes`.
Result<QByteArray> readFileLimited(const QString &path, qint64 maxBytes);

} // namespace imprint
