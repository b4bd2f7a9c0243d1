#include "storage/lastseenrecorder.h"

#include "common/logging.h"

#include <QMutexLocker>

#include <utility>

namespace imprint::storage {

void LastSeenRecorder::merge(const QString &serverId, const QDateTime &at, const QString &address)
{
    auto it = m_entries.find(serverId);
    if (it == m_entries.end()) {
        m_entries.insert(serverId, Entry{at, address});
    } else if (it->at < at) {
        it->at = at;
        it->address = address;
    }
}

void LastSeenRecorder::note(const QString &serverId, const QDateTime &at, const QString &address)
{
    if (serverId.isEmpty() || !at.isValid())
        return;
    const QMutexLocker locker(&m_mutex);
    merge(serverId, at, address);
}

QList<LastSeen> LastSeenRecorder::take()
{
    QHash<QString, Entry> entries;
    {
        const QMutexLocker locker(&m_mutex);
        entries.swap(m_entries);
    }
    QList<LastSeen> list;
    list.reserve(entries.size());
    for (auto it = entries.cbegin(); it != entries.cend(); ++it)
        list.append(LastSeen{it.key(), it->at, it->address});
    return list;
}

void LastSeenRecorder::restore(const QList<LastSeen> &entries)
{
    const QMutexLocker locker(&m_mutex);
    for (const LastSeen &entry : entries)
        merge(entry.serverId, entry.at, entry.address);
}

Status LastSeenRecorder::flush(Registry &registry)
{
    const QList<LastSeen> batch = take();
    if (batch.isEmpty())
        return {};
    Status written = registry.recordLastSeen(batch);
    if (!written) {
        restore(batch);
        qCWarning(lcStorage).noquote() << QStringLiteral("event=last_seen_flush_failed devices=%1 error=\"%2\"")
                                              .arg(batch.size())
                                              .arg(written.errorMessage());
    }
    return written;
}

qsizetype LastSeenRecorder::pending() const
{
    const QMutexLocker locker(&m_mutex);
    return m_entries.size();
}

} // namespace imprint::storage
