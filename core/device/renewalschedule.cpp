#include "device/renewalschedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace imprint::device {

using std::chrono::milliseconds;

Status validateSchedule(const RenewalSchedule &schedule)
{
    if (schedule.interval <= milliseconds::zero())
        return Status::failure(QStringLiteral("the renewal check interval must be positive"));
    if (!(schedule.jitterFraction >= 0.0 && schedule.jitterFraction <= 1.0))
        return Status::failure(QStringLiteral("the renewal jitter must be between 0 and 1 of the interval"));
    if (schedule.initialBackoff <= milliseconds::zero() || schedule.maxBackoff < schedule.initialBackoff)
        return Status::failure(
            QStringLiteral("the renewal back-off must be positive and its cap at least the first delay"));
    if (schedule.wakeInterval < milliseconds::zero())
        return Status::failure(QStringLiteral("the renewal wake-up interval must not be negative"));
    return {};
}

milliseconds regularDelay(const RenewalSchedule &schedule, double random)
{
    // Largest double below 1: keeps the upper bound exclusive even for a source returning 1.
    constexpr double kBelowOne = 1.0 - std::numeric_limits<double>::epsilon() / 2;
    if (!(random >= 0.0)) // also NaN
        random = 0.0;
    random = std::min(random, kBelowOne);
    const double fraction = std::clamp(schedule.jitterFraction, 0.0, 1.0);
    const double span = fraction * double(schedule.interval.count());
    auto jitter = static_cast<milliseconds::rep>(std::floor(random * span));
    // floor(r * span) < span for r < 1, except when rounding of the product reaches span.
    if (span > 0 && double(jitter) >= span)
        jitter = static_cast<milliseconds::rep>(std::ceil(span)) - 1;
    return schedule.interval + milliseconds(std::max<milliseconds::rep>(jitter, 0));
}

milliseconds backoffDelay(const RenewalSchedule &schedule, int consecutiveFailures)
{
    milliseconds delay = schedule.initialBackoff;
    for (int i = 1; i < consecutiveFailures && delay < schedule.maxBackoff; ++i)
        delay *= 2;
    return std::min(delay, schedule.maxBackoff);
}

TimerScheduler::TimerScheduler()
{
    m_timer.setSingleShot(true);
    // Renewal does not need millisecond precision; coarse timers let the system batch wake-ups.
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
        if (auto callback = std::exchange(m_callback, {}))
            callback();
    });
}

void TimerScheduler::schedule(milliseconds delay, std::function<void()> callback)
{
    m_callback = std::move(callback);
    const auto bounded = std::clamp<milliseconds::rep>(delay.count(), 0, std::numeric_limits<int>::max());
    m_timer.start(milliseconds(bounded));
}

void TimerScheduler::cancel()
{
    m_timer.stop();
    m_callback = {};
}

void ManualScheduler::schedule(milliseconds delay, std::function<void()> callback)
{
    m_delay = delay;
    m_callback = std::move(callback);
    ++m_scheduleCount;
}

void ManualScheduler::cancel()
{
    m_callback = {};
}

bool ManualScheduler::fire()
{
    auto callback = std::exchange(m_callback, {});
    if (!callback)
        return false;
    callback();
    return true;
}

} // namespace imprint::device
