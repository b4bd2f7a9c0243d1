#include "runcontrol.h"

namespace imprint::bench {

RunControl::RunControl(std::optional<std::int64_t> requestBudget)
    : m_remaining(requestBudget.value_or(0)), m_bounded(requestBudget.has_value())
{
}

RunControl::Ticket RunControl::next()
{
    switch (phase()) {
    case Phase::Stop:
        return Ticket::Stop;
    case Phase::Warmup:
        return Ticket::Unmeasured;
    case Phase::Measure:
        break;
    }
    if (!m_bounded)
        return Ticket::Measured;
    if (m_remaining.fetch_sub(1, std::memory_order_acq_rel) > 0)
        return Ticket::Measured;
    wake(); // the last ticket is gone: let the control thread notice early
    return Ticket::Stop;
}

bool RunControl::budgetExhausted() const
{
    return m_bounded && m_remaining.load(std::memory_order_acquire) <= 0;
}

void RunControl::setPhase(Phase phase)
{
    m_phase.store(phase, std::memory_order_release);
}

void RunControl::connectionReady()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_ready;
    }
    m_changed.notify_all();
}

void RunControl::connectionFinished()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_finished;
    }
    m_changed.notify_all();
}

void RunControl::wake()
{
    { std::lock_guard lock(m_mutex); }
    m_changed.notify_all();
}

} // namespace imprint::bench
