#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "device/renewalschedule.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace imprint::device {

// Decides WHEN the renewal check (RenewOrReenroll, PROTOCOL.md section 6) runs:
//  * once at start(), then every interval plus jitter (see RenewalSchedule), counted from
//    the start of the previous check;
//  * never two checks at once: a timer that comes due while a check runs is skipped (the
//    next regular one is scheduled), and checkNow() during a check is coalesced into it;
//  * after a failure, again after the back-off (1, 2, 4, ... minutes, capped, never after
//    the next regular check); a success resets the back-off.
// Lives in one thread; `check` must call its `done` callback in that thread, exactly once
// (later calls are ignored), at once or later from the event loop. `clock` must outlive it.
class AutoRenewer : public QObject {
    Q_OBJECT

public:
    // The result is the action taken ("none", "renewed", ...) or the error.
    using Done = std::function<void(Result<QString>)>;
    using Check = std::function<void(Done done)>;
    // Returns a number in [0, 1).
    using RandomSource = std::function<double()>;

    // Defaults: a QTimer scheduler and QRandomGenerator::global(). An invalid `schedule`
    // (see validateSchedule()) is replaced by the default one, with a warning in the log.
    explicit AutoRenewer(Check check, RenewalSchedule schedule = {}, const Clock &clock = SystemClock::instance(),
                         std::unique_ptr<Scheduler> scheduler = nullptr, RandomSource random = {},
                         QObject *parent = nullptr);
    ~AutoRenewer() override;

    // Checks at once (unless a check is already running) and keeps the schedule. No effect
    // when already started.
    void start();
    // Cancels the pending timer. A running check completes and reports, but schedules nothing.
    void stop();
    // Checks at once unless a check is already running (then this request is answered by
    // that check). When started, the regular schedule restarts from now.
    void checkNow();

    bool isActive() const { return m_active; }
    bool isChecking() const { return m_checking; }
    // When the next check is due; invalid when stopped.
    QDateTime nextCheck() const { return m_due; }
    int consecutiveFailures() const { return m_failures; }
    const RenewalSchedule &schedule() const { return m_schedule; }

signals:
    void checkStarted();
    void checked(const QString &action);
    void failed(const QString &message);
    void nextCheckScheduled(const QDateTime &when);

private:
    void beginCheck();
    void finishCheck(quint64 id, Result<QString> result);
    void onTimer();
    void arm(const QDateTime &due);
    void armScheduler();

    Check m_check;
    RenewalSchedule m_schedule;
    const Clock &m_clock;
    std::unique_ptr<Scheduler> m_scheduler;
    RandomSource m_random;

    bool m_active = false;
    bool m_checking = false;
    quint64 m_checkId = 0;
    int m_failures = 0;
    QDateTime m_nextRegular; // the next regular check (before jitter is re-drawn)
    QDateTime m_due;         // what the timer is armed for: m_nextRegular or an earlier retry
};

} // namespace imprint::device
