#include "common/clock.h"
#include "device/autorenewer.h"
#include "device/renewalschedule.h"

#include <QSignalSpy>
#include <QTest>

#include <deque>

using namespace imprint;
using namespace imprint::device;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

const QDateTime kStart = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);

// A renewal check whose completions the test delivers by hand.
struct FakeCheck {
    int started = 0;
    std::deque<AutoRenewer::Done> pending;
    // Completes the oldest running check.
    void finish(Result<QString> result)
    {
        QVERIFY(!pending.empty());
        auto done = std::move(pending.front());
        pending.pop_front();
        done(std::move(result));
    }
};

// Owns the pieces a renewer needs; `random` returns the queued values, then 0.
struct Harness {
    ManualClock clock{kStart};
    ManualScheduler *scheduler = nullptr;
    FakeCheck check;
    std::deque<double> randoms;
    std::unique_ptr<AutoRenewer> renewer;

    explicit Harness(RenewalSchedule schedule = {})
    {
        auto owned = std::make_unique<ManualScheduler>();
        scheduler = owned.get();
        renewer = std::make_unique<AutoRenewer>(
            [this](AutoRenewer::Done done) {
                ++check.started;
                check.pending.push_back(std::move(done));
            },
            schedule, clock, std::move(owned),
            [this] {
                if (randoms.empty())
                    return 0.0;
                const double value = randoms.front();
                randoms.pop_front();
                return value;
            });
    }

    // Lets time pass until the armed timer fires once (it may be a wake-up slice).
    void fireOnce()
    {
        QVERIFY(scheduler->isPending());
        clock.set(clock.now().addMSecs(scheduler->delay().count()));
        scheduler->fire();
    }
    // Lets time pass until the next check is due and the timer has fired for it.
    void runToNextCheck()
    {
        const QDateTime due = renewer->nextCheck();
        QVERIFY(due.isValid());
        bool fired = false;
        while (clock.now() < due) {
            fireOnce();
            fired = true;
        }
        if (!fired) // already due (the test moved the clock): the armed timer fires at once
            scheduler->fire();
    }
    qint64 msecsUntilNext() const { return clock.now().msecsTo(renewer->nextCheck()); }
};

} // namespace

class TestAutoRenewer : public QObject {
    Q_OBJECT

private slots:
    void regularDelayBounds();
    void backoffSequence();
    void scheduleValidation();
    void startChecksAtOnce();
    void nextCheckAfterIntervalPlusJitter_data();
    void nextCheckAfterIntervalPlusJitter();
    void jitterWithRealRandomSourceInRange();
    void wakesInSlicesAndFollowsTheClock();
    void noOverlapWhenTimerFiresDuringCheck();
    void checkNowCoalescedDuringCheck();
    void checkNowRestartsSchedule();
    void backoffAfterFailuresCapped();
    void backoffNeverLaterThanNextRegularCheck();
    void successResetsBackoff();
    void synchronousCheck();
    void stopCancels();
    void doneCalledTwiceOrAfterDestructionIgnored();
    void timerSchedulerFires();
};

void TestAutoRenewer::regularDelayBounds()
{
    RenewalSchedule schedule; // 24 h, 10 %
    QCOMPARE(regularDelay(schedule, 0.0), milliseconds(24h));
    QCOMPARE(regularDelay(schedule, 0.5), milliseconds(24h) + milliseconds(72min));
    // The upper bound is exclusive, also for a faulty source.
    const milliseconds top = milliseconds(24h) + milliseconds(144min);
    QVERIFY(regularDelay(schedule, 0.999999999999) < top);
    QVERIFY(regularDelay(schedule, 0.999999999999) >= top - 1ms);
    QCOMPARE(regularDelay(schedule, 1.0), top - 1ms);
    QCOMPARE(regularDelay(schedule, 7.0), top - 1ms);
    QCOMPARE(regularDelay(schedule, -1.0), milliseconds(24h));
    QCOMPARE(regularDelay(schedule, std::numeric_limits<double>::quiet_NaN()), milliseconds(24h));
    schedule.jitterFraction = 0;
    QCOMPARE(regularDelay(schedule, 0.9), milliseconds(24h));
}

void TestAutoRenewer::backoffSequence()
{
    const RenewalSchedule schedule; // 1 min doubling, cap 1 h
    const milliseconds expected[] = {1min, 2min, 4min, 8min, 16min, 32min, 60min, 60min};
    for (int i = 0; i < int(std::size(expected)); ++i)
        QCOMPARE(backoffDelay(schedule, i + 1), expected[i]);
    QCOMPARE(backoffDelay(schedule, 0), milliseconds(1min));
    QCOMPARE(backoffDelay(schedule, 1000), milliseconds(1h)); // no overflow
}

void TestAutoRenewer::scheduleValidation()
{
    QVERIFY(validateSchedule({}).ok());
    RenewalSchedule bad;
    bad.interval = 0ms;
    QVERIFY(!validateSchedule(bad).ok());
    bad = {};
    bad.jitterFraction = 1.5;
    QVERIFY(!validateSchedule(bad).ok());
    bad = {};
    bad.maxBackoff = 30s;
    QVERIFY(!validateSchedule(bad).ok());
    // An invalid schedule is replaced by the default.
    Harness harness(bad);
    QCOMPARE(harness.renewer->schedule().maxBackoff, milliseconds(1h));
}

void TestAutoRenewer::startChecksAtOnce()
{
    Harness h;
    QSignalSpy started(h.renewer.get(), &AutoRenewer::checkStarted);
    QSignalSpy scheduled(h.renewer.get(), &AutoRenewer::nextCheckScheduled);
    QSignalSpy checked(h.renewer.get(), &AutoRenewer::checked);
    QVERIFY(!h.renewer->isActive());
    h.renewer->start();
    QVERIFY(h.renewer->isActive());
    QCOMPARE(h.check.started, 1);
    QCOMPARE(started.size(), 1);
    QVERIFY(h.renewer->isChecking());
    QCOMPARE(scheduled.size(), 1);
    QCOMPARE(scheduled.at(0).at(0).toDateTime(), kStart.addMSecs(milliseconds(24h).count()));
    h.renewer->start(); // already started: nothing more
    QCOMPARE(h.check.started, 1);

    h.check.finish(QStringLiteral("none"));
    QCOMPARE(checked.size(), 1);
    QCOMPARE(checked.at(0).at(0).toString(), QStringLiteral("none"));
    QVERIFY(!h.renewer->isChecking());
    QCOMPARE(h.renewer->nextCheck(), kStart.addDays(1));

    h.runToNextCheck();
    QCOMPARE(h.check.started, 2);
    QCOMPARE(h.clock.now(), kStart.addDays(1));
}

void TestAutoRenewer::nextCheckAfterIntervalPlusJitter_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMsecs");
    const qint64 day = 24 * 3600 * 1000;
    QTest::newRow("0 (lower bound, inclusive)") << 0.0 << day;
    QTest::newRow("0.25") << 0.25 << day + day / 40;
    QTest::newRow("0.5") << 0.5 << day + day / 20;
    QTest::newRow("just below 1 (upper bound, exclusive)") << 0.9999999999 << day + day / 10 - 1;
}

void TestAutoRenewer::nextCheckAfterIntervalPlusJitter()
{
    QFETCH(double, random);
    QFETCH(qint64, expectedMsecs);
    Harness h;
    h.randoms = {random, random};
    QSignalSpy scheduled(h.renewer.get(), &AutoRenewer::nextCheckScheduled);
    h.renewer->start();
    h.check.finish(QStringLiteral("none"));
    QCOMPARE(h.msecsUntilNext(), expectedMsecs);
    QCOMPARE(scheduled.last().at(0).toDateTime(), kStart.addMSecs(expectedMsecs));
    // And again for the check after it, measured from its start.
    h.runToNextCheck();
    const QDateTime secondStart = h.clock.now();
    QCOMPARE(secondStart, kStart.addMSecs(expectedMsecs));
    QCOMPARE(h.renewer->nextCheck(), secondStart.addMSecs(expectedMsecs));
}

void TestAutoRenewer::jitterWithRealRandomSourceInRange()
{
    // The default source (QRandomGenerator): many draws, all within [interval, 1.1 * interval).
    ManualClock clock(kStart);
    auto owned = std::make_unique<ManualScheduler>();
    ManualScheduler *scheduler = owned.get();
    std::deque<AutoRenewer::Done> pending;
    AutoRenewer renewer([&](AutoRenewer::Done done) { pending.push_back(std::move(done)); }, {}, clock,
                        std::move(owned));
    renewer.start();
    const qint64 day = 24 * 3600 * 1000;
    QSet<qint64> distinct;
    for (int i = 0; i < 200; ++i) {
        QVERIFY(!pending.empty());
        auto done = std::move(pending.front());
        pending.pop_front();
        done(QStringLiteral("none"));
        const qint64 delay = clock.now().msecsTo(renewer.nextCheck());
        QVERIFY2(delay >= day && delay < day + day / 10, qPrintable(QString::number(delay)));
        distinct.insert(delay);
        clock.set(renewer.nextCheck());
        while (scheduler->isPending() && !pending.size())
            scheduler->fire();
    }
    QVERIFY(distinct.size() > 150);
}

void TestAutoRenewer::wakesInSlicesAndFollowsTheClock()
{
    Harness h;
    h.renewer->start();
    h.check.finish(QStringLiteral("none"));
    // Never one timer longer than the wake-up interval.
    QCOMPARE(h.scheduler->delay(), milliseconds(1h));
    int wakeUps = 0;
    while (h.check.started == 1) {
        h.fireOnce();
        ++wakeUps;
        QVERIFY(wakeUps <= 24);
    }
    QCOMPARE(wakeUps, 24);
    // A laptop that slept through the due time checks at its next wake-up.
    h.check.finish(QStringLiteral("none"));
    h.clock.set(h.clock.now().addDays(3));
    QVERIFY(h.scheduler->fire());
    QCOMPARE(h.check.started, 3);
}

void TestAutoRenewer::noOverlapWhenTimerFiresDuringCheck()
{
    Harness h;
    QSignalSpy started(h.renewer.get(), &AutoRenewer::checkStarted);
    h.renewer->start();
    QCOMPARE(h.check.started, 1);
    // The first check hangs past the next due time: the tick is skipped, not queued.
    h.runToNextCheck();
    QCOMPARE(h.check.started, 1);
    QCOMPARE(int(h.check.pending.size()), 1);
    QVERIFY(h.renewer->isChecking());
    QCOMPARE(h.msecsUntilNext(), qint64(24 * 3600 * 1000));
    h.runToNextCheck();
    QCOMPARE(h.check.started, 1);
    QCOMPARE(started.size(), 1);

    // Once it finishes, the schedule goes on with exactly one check at a time.
    h.check.finish(QStringLiteral("renewed"));
    h.runToNextCheck();
    QCOMPARE(h.check.started, 2);
    QCOMPARE(int(h.check.pending.size()), 1);
}

void TestAutoRenewer::checkNowCoalescedDuringCheck()
{
    Harness h;
    QSignalSpy checked(h.renewer.get(), &AutoRenewer::checked);
    h.renewer->start();
    h.renewer->checkNow();
    h.renewer->checkNow();
    QCOMPARE(h.check.started, 1);
    h.check.finish(QStringLiteral("none"));
    QCOMPARE(checked.size(), 1);
    QVERIFY(h.check.pending.empty());

    // Without start(): a one-off check that schedules nothing.
    Harness idle;
    idle.renewer->checkNow();
    idle.renewer->checkNow();
    QCOMPARE(idle.check.started, 1);
    idle.check.finish(QStringLiteral("none"));
    QVERIFY(!idle.scheduler->isPending());
    QVERIFY(!idle.renewer->nextCheck().isValid());
    // start() while a check from checkNow() runs: no second check, just the schedule.
    idle.renewer->checkNow();
    idle.renewer->start();
    QCOMPARE(idle.check.started, 2);
    QVERIFY(idle.scheduler->isPending());
    QCOMPARE(idle.msecsUntilNext(), qint64(24 * 3600 * 1000));
}

void TestAutoRenewer::checkNowRestartsSchedule()
{
    Harness h;
    h.renewer->start();
    h.check.finish(QStringLiteral("none"));
    h.clock.set(kStart.addSecs(5 * 3600));
    h.renewer->checkNow();
    QCOMPARE(h.check.started, 2);
    QCOMPARE(h.renewer->nextCheck(), kStart.addSecs(29 * 3600));
}

void TestAutoRenewer::backoffAfterFailuresCapped()
{
    Harness h;
    QSignalSpy failed(h.renewer.get(), &AutoRenewer::failed);
    h.renewer->start();
    const qint64 minute = 60 * 1000;
    const qint64 expected[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    for (int i = 0; i < int(std::size(expected)); ++i) {
        h.check.finish(Result<QString>::failure(QStringLiteral("service unreachable")));
        QCOMPARE(h.renewer->consecutiveFailures(), i + 1);
        QCOMPARE(h.msecsUntilNext(), expected[i] * minute);
        h.runToNextCheck();
        QCOMPARE(h.check.started, i + 2);
    }
    QCOMPARE(failed.size(), int(std::size(expected)));
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("service unreachable"));
}

void TestAutoRenewer::backoffNeverLaterThanNextRegularCheck()
{
    RenewalSchedule schedule;
    schedule.interval = 10min;
    schedule.jitterFraction = 0;
    Harness h(schedule);
    h.renewer->start();
    const qint64 minute = 60 * 1000;
    // 1, 2, 4, 8 -> capped by the regular check 10 minutes after each start.
    for (qint64 expected : {1, 2, 4, 8, 10, 10}) {
        h.check.finish(Result<QString>::failure(QStringLiteral("down")));
        QCOMPARE(h.msecsUntilNext(), expected * minute);
        h.runToNextCheck();
    }
}

void TestAutoRenewer::successResetsBackoff()
{
    Harness h;
    h.renewer->start();
    for (int i = 0; i < 3; ++i) {
        h.check.finish(Result<QString>::failure(QStringLiteral("down")));
        h.runToNextCheck();
    }
    QCOMPARE(h.renewer->consecutiveFailures(), 3);
    h.check.finish(QStringLiteral("renewed"));
    QCOMPARE(h.renewer->consecutiveFailures(), 0);
    QCOMPARE(h.msecsUntilNext(), qint64(24 * 3600 * 1000));
    h.runToNextCheck();
    h.check.finish(Result<QString>::failure(QStringLiteral("down again")));
    QCOMPARE(h.msecsUntilNext(), qint64(60 * 1000)); // back to the first step
}

void TestAutoRenewer::synchronousCheck()
{
    // A check that completes inside the call (e.g. nothing to do, answered from disk).
    ManualClock clock(kStart);
    auto owned = std::make_unique<ManualScheduler>();
    ManualScheduler *scheduler = owned.get();
    int calls = 0;
    bool fail = true;
    AutoRenewer renewer(
        [&](AutoRenewer::Done done) {
            ++calls;
            if (fail)
                done(Result<QString>::failure(QStringLiteral("no network")));
            else
                done(QStringLiteral("none"));
        },
        {}, clock, std::move(owned), [] { return 0.0; });
    QSignalSpy failed(&renewer, &AutoRenewer::failed);
    renewer.start();
    QCOMPARE(calls, 1);
    QCOMPARE(failed.size(), 1);
    QVERIFY(!renewer.isChecking());
    QCOMPARE(clock.now().msecsTo(renewer.nextCheck()), qint64(60 * 1000));
    fail = false;
    clock.set(renewer.nextCheck());
    QVERIFY(scheduler->fire());
    QCOMPARE(calls, 2);
    QCOMPARE(renewer.consecutiveFailures(), 0);
    QCOMPARE(clock.now().msecsTo(renewer.nextCheck()), qint64(24 * 3600 * 1000));
}

void TestAutoRenewer::stopCancels()
{
    Harness h;
    QSignalSpy checked(h.renewer.get(), &AutoRenewer::checked);
    h.renewer->start();
    h.check.finish(QStringLiteral("none"));
    QVERIFY(h.scheduler->isPending());
    h.renewer->stop();
    QVERIFY(!h.renewer->isActive());
    QVERIFY(!h.scheduler->isPending());
    QVERIFY(!h.renewer->nextCheck().isValid());
    h.clock.set(kStart.addDays(10));
    QVERIFY(!h.scheduler->fire());
    QCOMPARE(h.check.started, 1);

    // Stopped during a check: the check reports, but schedules no retry.
    h.renewer->start();
    QCOMPARE(h.check.started, 2);
    h.renewer->stop();
    h.check.finish(Result<QString>::failure(QStringLiteral("down")));
    QVERIFY(!h.scheduler->isPending());
    h.renewer->start();
    QCOMPARE(h.check.started, 3);
    h.renewer->stop();
    QCOMPARE(checked.size(), 1);
}

void TestAutoRenewer::doneCalledTwiceOrAfterDestructionIgnored()
{
    Harness h;
    QSignalSpy checked(h.renewer.get(), &AutoRenewer::checked);
    h.renewer->start();
    auto done = h.check.pending.front();
    done(QStringLiteral("renewed"));
    done(QStringLiteral("renewed"));
    QCOMPARE(checked.size(), 1);

    h.runToNextCheck();
    QCOMPARE(h.check.started, 2);
    auto late = h.check.pending.front();
    h.renewer.reset();
    late(QStringLiteral("none")); // must not touch the destroyed renewer
}

void TestAutoRenewer::timerSchedulerFires()
{
    TimerScheduler scheduler;
    int fired = 0;
    scheduler.schedule(1ms, [&] { ++fired; });
    QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 5000);
    scheduler.schedule(1ms, [&] { fired += 10; });
    scheduler.schedule(1ms, [&] { fired += 100; }); // replaces the previous one
    QTRY_COMPARE_WITH_TIMEOUT(fired, 101, 5000);
    scheduler.schedule(1ms, [&] { fired += 1000; });
    scheduler.cancel();
    QTest::qWait(1500);
    QCOMPARE(fired, 101);
    // Delays beyond QTimer's range are accepted (cut, not overflowed).
    scheduler.schedule(std::chrono::duration_cast<milliseconds>(std::chrono::days(40)), [&] { ++fired; });
    scheduler.cancel();
}

QTEST_GUILESS_MAIN(TestAutoRenewer)
#include "tst_autorenewer.moc"
