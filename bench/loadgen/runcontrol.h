#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace imprint::bench {

// The shared state of one measured run: which phase it is in and how many measured
// requests may still start. Connections ask it before every request; the control thread
// moves the phases.
class RunControl {
public:
    enum class Phase { Warmup, Measure, Stop };
    enum class Ticket { Stop, Unmeasured, Measured };

    explicit RunControl(std::optional<std::int64_t> requestBudget);

    // Whether a connection may start another request, and whether it counts.
    Ticket next();

    void setPhase(Phase phase);
    Phase phase() const { return m_phase.load(std::memory_order_acquire); }
    bool budgetExhausted() const;

    // Connections report when they are connected and waiting for the start (or gave up),
    // and when they have finished for good; the control thread waits for either count.
    void connectionReady();
    void connectionFinished();
    template <typename Predicate, typename TimePoint>
    bool waitUntil(TimePoint deadline, Predicate predicate)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_until(lock, deadline, [&] { return predicate(m_ready, m_finished); });
    }
    void wake();

private:
    std::atomic<Phase> m_phase{Phase::Warmup};
    std::atomic<std::int64_t> m_remaining;
    bool m_bounded;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_ready = 0;
    int m_finished = 0;
};

} // namespace imprint::bench
