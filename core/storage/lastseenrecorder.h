#pragma once

#include "common/result.h"
#include "storage/registry.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace imprint::storage {

// Collects "device X was seen at T from address A" from the mTLS guard, which calls
// note() on every request from several worker threads, and writes it to the registry in
// batches: one UPDATE per device per flush instead of a write transaction per request.
// Thread-safe. If the process dies, at most one flush interval of last-seen times is lost.
class LastSeenRecorder {
public:
    // Only updates the in-memory map (one entry per device, the latest time wins).
    void note(const QString &serverId, const QDateTime &at, const QString &address);
    // Empties the map and returns its entries.
    QList<LastSeen> take();
    // Puts entries back (after a failed write) without overwriting anything newer.
    void restore(const QList<LastSeen> &entries);
    // take() + Registry::recordLastSeen(); on failure the entries are restored, so the next
    // flush writes them. Called periodically by the service and once at shutdown, from
    // the thread that owns `registry`.
    Status flush(Registry &registry);
    qsizetype pending() const;

private:
    struct Entry {
        QDateTime at;
        QString address;
    };
    void merge(const QString &serverId, const QDateTime &at, const QString &address);

    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
};

} // namespace imprint::storage
