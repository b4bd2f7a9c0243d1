#pragma once

#include "common/result.h"

#include <QTimer>

#include <chrono>
#include <functional>

// When the auto-renewer checks: the intervals, the jitter and the back-off, as pure
// functions, and the timer abstraction that lets tests move time instead of sleeping.
namespace imprint::device {

struct RenewalSchedule {
    // Regular checks: every `interval` plus a random jitter in
    // [0, jitterFraction * interval) -- lower bound inclusive, upper exclusive -- so that a
    // fleet started at the same moment (power returns to a building) spreads its renewals.
    std::chrono::milliseconds interval = std::chrono::hours(24);
    double jitterFraction = 0.1;
    // After a failed check: initialBackoff, then doubling per consecutive failure, at most
    // maxBackoff, and never later than the next regular check. A success resets it.
    std::chrono::milliseconds initialBackoff = std::chrono::minutes(1);
    std::chrono::milliseconds maxBackoff = std::chrono::hours(1);
    // The longest single timer. Timers count monotonic time, which stops while a laptop
    // sleeps; waking at least this often and comparing the Clock against the due time keeps
    // a 24 h schedule from stretching over days of suspend. Zero: one timer per delay.
    std::chrono::milliseconds wakeInterval = std::chrono::hours(1);
};

// interval > 0, 0 <= jitterFraction <= 1, 0 < initialBackoff <= maxBackoff, wakeInterval >= 0.
Status validateSchedule(const RenewalSchedule &schedule);

// interval + floor(random * jitterFraction * interval). `random` is meant to be in [0, 1);
// values outside (or NaN) are clamped into it, so a faulty source cannot break the bounds.
std::chrono::milliseconds regularDelay(const RenewalSchedule &schedule, double random);

// Delay after the `consecutiveFailures`-th failure in a row (1 -> initialBackoff,
// 2 -> twice that, ...), capped at maxBackoff. Values below 1 count as 1.
std::chrono::milliseconds backoffDelay(const RenewalSchedule &schedule, int consecutiveFailures);

// A single-shot timer slot: schedule() replaces whatever was pending.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual void schedule(std::chrono::milliseconds delay, std::function<void()> callback) = 0;
    virtual void cancel() = 0;
};

// The production scheduler: a coarse single-shot QTimer in the creating thread's event loop.
// Delays beyond QTimer's range (about 24 days) are cut to it; the renewer re-arms.
class TimerScheduler final : public Scheduler {
public:
    TimerScheduler();
    void schedule(std::chrono::milliseconds delay, std::function<void()> callback) override;
    void cancel() override;

private:
    QTimer m_timer;
    std::function<void()> m_callback;
};

// A scheduler that fires only when told, for tests (move the Clock, then fire()).
class ManualScheduler final : public Scheduler {
public:
    void schedule(std::chrono::milliseconds delay, std::function<void()> callback) override;
    void cancel() override;

    bool isPending() const { return static_cast<bool>(m_callback); }
    // Delay given with the pending (or, once fired, the last) schedule() call.
    std::chrono::milliseconds delay() const { return m_delay; }
    int scheduleCount() const { return m_scheduleCount; }
    // Runs the pending callback once, as a timer would; false when nothing is pending.
    bool fire();

private:
    std::function<void()> m_callback;
    std::chrono::milliseconds m_delay{0};
    int m_scheduleCount = 0;
};

} // namespace imprint::device
