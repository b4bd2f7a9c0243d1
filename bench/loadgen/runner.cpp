#include "runner.h"

#include "credentials.h"
#include "iothreads.h"
#include "preparation.h"
#include "procstat.h"
#include "runcontrol.h"
#include "scenarios.h"
#include "target.h"
#include "tlsconfig.h"

#include <boost/asio/co_spawn.hpp>

#include <thread>

namespace imprint::bench {

namespace asio = boost::asio;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct ServerSample {
    std::optional<CpuTime> cpu;
    QString error;
};

ServerSample sampleServer(const Options &options)
{
    ServerSample sample;
    if (!options.serverPid)
        return sample;
    auto cpu = processCpu(*options.serverPid);
    if (cpu)
        sample.cpu = *cpu;
    else
        sample.error = cpu.errorMessage();
    return sample;
}

} // namespace

Result<RunReport> runBenchmark(const Options &o)
{
    using R = Result<RunReport>;
    auto target = resolveLoopbackTarget(o.url);
    if (!target)
        return R::failure(target.errorMessage());
    if (o.serverPid) {
        if (auto cpu = processCpu(*o.serverPid); !cpu)
            return R::failure(cpu.errorMessage());
    }
    auto ca = loadCaCertificates(o.caFile);
    if (!ca)
        return R::failure(ca.errorMessage());
    auto anonymousTls = makeClientContext(*ca, o.tls);
    if (!anonymousTls)
        return R::failure(anonymousTls.errorMessage());

    RunReport report;
    report.url = o.url;
    report.scenario = o.scenario;
    report.tls = o.tls;
    report.resume = o.resume;
    report.connections = o.connections;
    report.threads = o.threads;

    // --- preparation, before the clock ---
    const Clock::time_point prepStart = Clock::now();
    std::vector<Device> devices;
    std::vector<KeyAndCsr> pool;
    std::vector<PreparedBody> bodies;
    const bool deviceScenario = o.scenario != Scenario::Enroll;
    if (deviceScenario) {
        auto enrolled = enrollDevices(o, *target, *ca, *anonymousTls);
        if (!enrolled)
            return R::failure(QStringLiteral("preparation: %1").arg(enrolled.errorMessage()));
        devices = std::move(enrolled).value();
        report.devices = o.devices;
    }
    if (o.scenario == Scenario::Enroll || o.scenario == Scenario::Renew) {
        auto keys = makeKeyPool(o.csrPool, o.threads);
        if (!keys)
            return R::failure(QStringLiteral("preparation: %1").arg(keys.errorMessage()));
        pool = std::move(keys).value();
        for (const auto &entry : pool)
            bodies.push_back(o.scenario == Scenario::Enroll
                                 ? prepareEnrollBody(o.secret, entry.csrPem, QStringLiteral("loadgen"))
                                 : prepareRenewBody(entry.csrPem));
    }
    report.preparationSeconds = secondsSince(prepStart);

    // --- the measured run ---
    RunControl control(o.requests);
    IoThreads threads(o.threads);
    ScenarioContext context{o, *target, control, threads, *anonymousTls, devices, pool, bodies, {}, {}};
    std::vector<Recorder> recorders(std::size_t(o.connections));
    for (int c = 0; c < o.connections; ++c) {
        asio::co_spawn(threads.context(c % threads.size()), runConnection(context, c, recorders[std::size_t(c)]),
                       [](std::exception_ptr e) {
                           if (e)
                               std::rethrow_exception(e);
                       });
    }
    threads.start();

    const int n = o.connections;
    // Keep-alive connections connect first; each gives up after --timeout.
    control.waitUntil(Clock::now() + o.timeout + std::chrono::seconds(5),
                      [n](int ready, int) { return ready >= n; });

    ServerSample before;
    CpuTime ownBefore;
    Clock::time_point windowStart;
    auto startWindow = [&] {
        before = sampleServer(o);
        ownBefore = ownCpu();
        windowStart = Clock::now();
        control.setPhase(RunControl::Phase::Measure);
    };
    if (o.warmup.count() > 0) {
        control.setPhase(RunControl::Phase::Warmup);
        threads.openGates();
        control.waitUntil(Clock::now() + o.warmup, [n](int, int finished) { return finished >= n; });
        startWindow();
    } else {
        startWindow();
        threads.openGates();
    }
    report.warmupSeconds = std::chrono::duration<double>(o.warmup).count();

    const Clock::time_point windowDeadline = windowStart + o.duration;
    control.waitUntil(windowDeadline, [&](int, int finished) { return finished >= n || control.budgetExhausted(); });
    const bool byDeadline = !control.budgetExhausted();
    const Clock::time_point stopTime = Clock::now();
    control.setPhase(RunControl::Phase::Stop);
    threads.join();

    const ServerSample after = sampleServer(o);
    report.ownCpu = ownCpu() - ownBefore;
    report.ownMemory = ownMemory();
    report.summary = summarize(recorders, windowStart, byDeadline ? std::min(stopTime, windowDeadline) : windowStart);
    if (before.cpu && after.cpu)
        report.serverCpu = *after.cpu - *before.cpu;
    report.serverSampleError = !before.error.isEmpty() ? before.error : after.error;
    if (o.serverPid) {
        if (auto memory = processMemory(*o.serverPid))
            report.serverMemory = *memory;
        else if (report.serverSampleError.isEmpty())
            report.serverSampleError = memory.errorMessage();
    }

    // --- what the numbers include ---
    switch (o.scenario) {
    case Scenario::Enroll:
        report.notes << QStringLiteral("each request enrolls a new fingerprint over kept-alive connections");
        break;
    case Scenario::DeviceKeepAlive:
        report.notes << QStringLiteral("GET /api/v1/device over one kept-alive mTLS connection per connection slot");
        if (o.devices > o.connections)
            report.notes << QStringLiteral("only %1 of %2 devices used (one per connection)").arg(o.connections).arg(o.devices);
        break;
    case Scenario::DeviceNewConnection:
        report.notes << (o.resume ? QStringLiteral("each request: new TCP connection + TLS handshake resuming the "
                                                   "previous session when the server allows it, GET, close")
                                  : QStringLiteral("each request: new TCP connection + full TLS handshake (no "
                                                   "session resumption), GET, close"));
        break;
    case Scenario::Renew:
        report.notes << QStringLiteral("each request: new TCP connection + full mTLS handshake with the device's current "
                                       "certificate, POST /api/v1/renew; the next renewal uses the new certificate");
        break;
    }
    if (!pool.empty() && std::size_t(report.summary.requests()) + std::size_t(o.connections) > pool.size())
        report.notes << QStringLiteral("the %1 pre-made CSRs were reused (%2)")
                            .arg(pool.size())
                            .arg(o.scenario == Scenario::Enroll ? QStringLiteral("each with a distinct fingerprint")
                                                                : QStringLiteral("renewals may reuse a key"));
    report.notes << QStringLiteral("latency covers successful requests; the load generator shares the machine's cores "
                                   "with the server");
    return report;
}

} // namespace imprint::bench
