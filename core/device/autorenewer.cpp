#include "device/autorenewer.h"

#include "common/logging.h"

#include <QPointer>
#include <QRandomGenerator>

#include <algorithm>
#include <memory>

namespace imprint::device {

AutoRenewer::AutoRenewer(Check check, RenewalSchedule schedule, const Clock &clock,
                         std::unique_ptr<Scheduler> scheduler, RandomSource random, QObject *parent)
    : QObject(parent), m_check(std::move(check)), m_schedule(schedule), m_clock(clock),
      m_scheduler(std::move(scheduler)), m_random(std::move(random))
{
    if (Status valid = validateSchedule(m_schedule); !valid) {
        qCWarning(lcDevice).noquote() << "event=renewal_schedule_invalid"
                                      << "reason=" + valid.errorMessage() << "action=using_defaults";
        m_schedule = RenewalSchedule{};
    }
    if (!m_scheduler)
        m_scheduler = std::make_unique<TimerScheduler>();
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

AutoRenewer::~AutoRenewer()
{
    m_scheduler->cancel();
}

void AutoRenewer::start()
{
    if (m_active)
        return;
    m_active = true;
    if (m_checking) {
        // A check from before (checkNow(), or one that outlived stop()) stands for the
        // first one; only the schedule starts.
        m_nextRegular = m_clock.now().addMSecs(regularDelay(m_schedule, m_random()).count());
        arm(m_nextRegular);
        return;
    }
    beginCheck();
}

void AutoRenewer::stop()
{
    m_active = false;
    m_scheduler->cancel();
    m_due = QDateTime();
    m_nextRegular = QDateTime();
}

void AutoRenewer::checkNow()
{
    if (m_checking) {
        qCDebug(lcDevice) << "event=renewal_check_coalesced reason=check_in_flight";
        return;
    }
    beginCheck();
}

void AutoRenewer::beginCheck()
{
    m_checking = true;
    const quint64 id = ++m_checkId;
    // Armed before the check runs, so that a check finishing synchronously inside m_check
    // can replace it with a retry.
    if (m_active) {
        m_nextRegular = m_clock.now().addMSecs(regularDelay(m_schedule, m_random()).count());
        arm(m_nextRegular);
    }
    qCDebug(lcDevice) << "event=renewal_check_started";
    emit checkStarted();

    QPointer<AutoRenewer> self(this);
    auto called = std::make_shared<bool>(false);
    m_check([self, id, called](Result<QString> result) {
        if (std::exchange(*called, true) || !self)
            return;
        self->finishCheck(id, std::move(result));
    });
}

void AutoRenewer::finishCheck(quint64 id, Result<QString> result)
{
    if (!m_checking || id != m_checkId)
        return;
    m_checking = false;
    if (result.ok()) {
        m_failures = 0;
        qCInfo(lcDevice).noquote() << "event=renewal_check_done"
                                   << "action=" + result.value();
        emit checked(result.value());
        return;
    }

    ++m_failures;
    if (m_active) {
        const QDateTime retry = m_clock.now().addMSecs(backoffDelay(m_schedule, m_failures).count());
        if (retry < m_nextRegular)
            arm(retry);
    }
    qCWarning(lcDevice).noquote() << "event=renewal_check_failed"
                                  << "consecutive_failures=" + QString::number(m_failures)
                                  << "next_check=" + m_due.toString(Qt::ISODateWithMs)
                                  << "reason=" + result.errorMessage();
    emit failed(result.errorMessage());
}

void AutoRenewer::onTimer()
{
    if (!m_active)
        return;
    if (m_clock.now() < m_due) {
        // Woke early: a wake-up interval slice, or the clock was set back.
        armScheduler();
        return;
    }
    if (m_checking) {
        qCInfo(lcDevice) << "event=renewal_check_skipped reason=check_in_flight";
        m_nextRegular = m_clock.now().addMSecs(regularDelay(m_schedule, m_random()).count());
        arm(m_nextRegular);
        return;
    }
    beginCheck();
}

void AutoRenewer::arm(const QDateTime &due)
{
    m_due = due;
    armScheduler();
    emit nextCheckScheduled(due);
}

void AutoRenewer::armScheduler()
{
    auto delay = std::chrono::milliseconds(std::max<qint64>(0, m_clock.now().msecsTo(m_due)));
    if (m_schedule.wakeInterval > std::chrono::milliseconds::zero())
        delay = std::min(delay, m_schedule.wakeInterval);
    m_scheduler->schedule(delay, [this] { onTimer(); });
}

} // namespace imprint::device
