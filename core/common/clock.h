#pragma once

#include <QDateTime>

#include <atomic>

namespace imprint {

// The time source of everything that depends on expiry, windows or intervals, so that
// tests move time instead of sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

class SystemClock final : public Clock {
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    static const SystemClock &instance()
    {
        static const SystemClock clock;
        return clock;
    }
};

// A clock that only moves when told; safe to read from several threads.
class ManualClock final : public Clock {
public:
    explicit ManualClock(const QDateTime &start) : m_msecs(start.toMSecsSinceEpoch()) {}
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(m_msecs.load(), Qt::UTC); }
    void set(const QDateTime &time) { m_msecs.store(time.toMSecsSinceEpoch()); }
    void advance(qint64 seconds) { m_msecs.fetch_add(seconds * 1000); }

private:
    std::atomic<qint64> m_msecs;
};

// The clock of the running program: the system clock, unless the environment variable
// IMPRINT_TEST_CLOCK_FILE names a file holding an offset in seconds, which is then added
// to the system time (re-read on every call). That lets end-to-end tests move a running
// `imprint serve` and the device commands into the future together without sleeping;
// it is a testing aid, never set in production.
const Clock &processClock();

} // namespace imprint
