#pragma once

#include "common/clock.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

namespace imprint::device {

// Serialises the operations that get new credentials for one store (enrollment, tier-1
// and tier-2 renewal) across threads and processes. Each holds it from reading the store
// until it has saved, so the set left in the store is always the one the service issued
// last. Without it, a daemon's renewal and a technician's re-enrollment could each be
// answered, and the one issued first be saved last, leaving a superseded certificate.
//
// The lock is flock(2) on <store>/.operation.lock, a file of its own: the store's switch
// locks the directory itself, for milliseconds, and an operation saving under its own lock
// must not wait for itself. The kernel drops the lock when the process dies.
class OperationLock : public QObject {
    Q_OBJECT

public:
    static constexpr QLatin1StringView kFileName{".operation.lock"};

    explicit OperationLock(QString storeDirectory, const Clock &clock = SystemClock::instance(),
                           QObject *parent = nullptr);
    ~OperationLock() override;

    // Emits acquired() (at once when the lock is free) or failed(): the store directory
    // cannot be created or locked, or another holder kept the lock for `timeout`.
    void acquire();
    void release();
    bool isHeld() const { return m_fd >= 0 && !m_waiting; }
    QString lockPath() const;

    std::chrono::seconds timeout{120};
    std::chrono::milliseconds pollInterval{200};

signals:
    void acquired();
    void failed(const QString &message);

private:
    void poll();

    QString m_directory;
    const Clock &m_clock;
    QTimer m_timer;
    QDateTime m_deadline;
    int m_fd = -1;
    bool m_waiting = false;
};

} // namespace imprint::device
