#include "report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace imprint::bench {

double RunReport::serverCpuPerRequestUs() const
{
    if (!serverCpu || summary.ok == 0)
        return 0;
    return serverCpu->total() / double(summary.ok) * 1e6;
}

namespace {

QString scenarioLabel(const RunReport &r)
{
    return scenarioName(r.scenario) + (r.resume ? QStringLiteral(" --resume") : QString());
}

QString num(double value, int decimals = 2)
{
    return QString::number(value, 'f', decimals);
}

QString mib(qint64 kib)
{
    return num(double(kib) / 1024.0, 1) + QStringLiteral(" MiB");
}

QString errorsText(const Summary &s)
{
    QStringList parts;
    for (const auto &[kind, count] : s.errors)
        parts << QStringLiteral("%1 x %2").arg(count).arg(QString::fromStdString(kind));
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral("; "));
}

double percentOfOneCore(double cpuSeconds, double windowSeconds)
{
    return windowSeconds > 0 ? cpuSeconds / windowSeconds * 100.0 : 0;
}

} // namespace

QString formatText(const RunReport &r)
{
    const Summary &s = r.summary;
    QString out;
    auto line = [&](const QString &label, const QString &value) {
        out += QStringLiteral("  %1 %2\n").arg(label.leftJustified(20), value);
    };
    out += QStringLiteral("imprint-loadgen: %1 against %2 (%3, %4 connections, %5 threads)\n")
               .arg(scenarioLabel(r), r.url, tlsVersionName(r.tls))
               .arg(r.connections)
               .arg(r.threads);
    line(QStringLiteral("preparation"), QStringLiteral("%1 s (before the clock)").arg(num(r.preparationSeconds)));
    line(QStringLiteral("measured window"),
         QStringLiteral("%1 s (after %2 s warmup)").arg(num(s.windowSeconds), num(r.warmupSeconds)));
    line(QStringLiteral("requests"),
         QStringLiteral("%1 (ok %2, errors %3)").arg(s.requests()).arg(s.ok).arg(s.failed));
    line(QStringLiteral("errors"), errorsText(s));
    line(QStringLiteral("throughput"), QStringLiteral("%1 req/s (successful)").arg(num(s.throughput(), 1)));
    if (s.ok == 0)
        line(QStringLiteral("latency (ok)"), QStringLiteral("n/a (no successful request)"));
    else
        line(QStringLiteral("latency (ok)"), QStringLiteral("p50 %1 ms  p90 %2 ms  p99 %3 ms  max %4 ms  mean %5 ms")
                                             .arg(num(s.latency.p50Ms, 3), num(s.latency.p90Ms, 3),
                                                  num(s.latency.p99Ms, 3), num(s.latency.maxMs, 3),
                                                  num(s.latency.meanMs, 3)));
    line(QStringLiteral("connections opened"),
         QStringLiteral("%1 in the window (%2 resumed)").arg(s.connectionsOpened).arg(s.sessionsResumed));
    if (r.serverCpu) {
        line(QStringLiteral("server CPU"),
             QStringLiteral("%1 s (user %2, system %3) = %4% of one core")
                 .arg(num(r.serverCpu->total()), num(r.serverCpu->userSeconds), num(r.serverCpu->systemSeconds),
                      num(percentOfOneCore(r.serverCpu->total(), s.windowSeconds), 0)));
        line(QStringLiteral("server CPU/request"), QStringLiteral("%1 us").arg(num(r.serverCpuPerRequestUs(), 1)));
    }
    if (r.serverMemory)
        line(QStringLiteral("server memory"), QStringLiteral("peak RSS (VmHWM) %1, RSS now %2")
                                                  .arg(mib(r.serverMemory->peakRssKiB), mib(r.serverMemory->rssKiB)));
    if (!r.serverSampleError.isEmpty())
        line(QStringLiteral("server samples"), r.serverSampleError);
    line(QStringLiteral("loadgen CPU"), QStringLiteral("%1 s (user %2, system %3) = %4% of one core, peak RSS %5")
                                            .arg(num(r.ownCpu.total()), num(r.ownCpu.userSeconds),
                                                 num(r.ownCpu.systemSeconds),
                                                 num(percentOfOneCore(r.ownCpu.total(), s.windowSeconds), 0),
                                                 mib(r.ownMemory.peakRssKiB)));
    for (const QString &note : r.notes)
        out += QStringLiteral("  note: %1\n").arg(note);
    return out;
}

QString formatJson(const RunReport &r)
{
    const Summary &s = r.summary;
    QJsonObject errors;
    for (const auto &[kind, count] : s.errors)
        errors.insert(QString::fromStdString(kind), qint64(count));
    QJsonObject latency{{QStringLiteral("p50_ms"), s.latency.p50Ms}, {QStringLiteral("p90_ms"), s.latency.p90Ms},
                        {QStringLiteral("p99_ms"), s.latency.p99Ms}, {QStringLiteral("max_ms"), s.latency.maxMs},
                        {QStringLiteral("mean_ms"), s.latency.meanMs}};
    QJsonObject o{
        {QStringLiteral("url"), r.url},
        {QStringLiteral("scenario"), scenarioName(r.scenario)},
        {QStringLiteral("resume"), r.resume},
        {QStringLiteral("tls"), tlsVersionName(r.tls)},
        {QStringLiteral("connections"), r.connections},
        {QStringLiteral("threads"), r.threads},
        {QStringLiteral("devices"), r.devices},
        {QStringLiteral("preparation_s"), r.preparationSeconds},
        {QStringLiteral("warmup_s"), r.warmupSeconds},
        {QStringLiteral("window_s"), s.windowSeconds},
        {QStringLiteral("requests"), qint64(s.requests())},
        {QStringLiteral("ok"), qint64(s.ok)},
        {QStringLiteral("errors"), qint64(s.failed)},
        {QStringLiteral("errors_by_kind"), errors},
        {QStringLiteral("throughput_rps"), s.throughput()},
        {QStringLiteral("latency"), latency},
        {QStringLiteral("connections_opened"), qint64(s.connectionsOpened)},
        {QStringLiteral("sessions_resumed"), qint64(s.sessionsResumed)},
        {QStringLiteral("loadgen_cpu_s"), r.ownCpu.total()},
        {QStringLiteral("loadgen_peak_rss_kib"), r.ownMemory.peakRssKiB},
        {QStringLiteral("notes"), QJsonArray::fromStringList(r.notes)},
    };
    if (r.serverCpu) {
        o.insert(QStringLiteral("server_cpu_s"), r.serverCpu->total());
        o.insert(QStringLiteral("server_cpu_user_s"), r.serverCpu->userSeconds);
        o.insert(QStringLiteral("server_cpu_system_s"), r.serverCpu->systemSeconds);
        o.insert(QStringLiteral("server_cpu_per_request_us"), r.serverCpuPerRequestUs());
    }
    if (r.serverMemory) {
        o.insert(QStringLiteral("server_peak_rss_kib"), r.serverMemory->peakRssKiB);
        o.insert(QStringLiteral("server_rss_kib"), r.serverMemory->rssKiB);
    }
    if (!r.serverSampleError.isEmpty())
        o.insert(QStringLiteral("server_sample_error"), r.serverSampleError);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n');
}

QString markdownHeader()
{
    return QStringLiteral("| scenario | TLS | conns | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms "
                          "| server CPU/req (us) | server peak RSS (MiB) | loadgen CPU (s) |\n"
                          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
}

QString formatMarkdownRow(const RunReport &r)
{
    const Summary &s = r.summary;
    const QString cpu = r.serverCpu ? num(r.serverCpuPerRequestUs(), 0) : QStringLiteral("-");
    const QString rss = r.serverMemory ? num(double(r.serverMemory->peakRssKiB) / 1024.0, 1) : QStringLiteral("-");
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 | %11 | %12 | %13 |\n")
        .arg(scenarioLabel(r), tlsVersionName(r.tls).mid(4))
        .arg(r.connections)
        .arg(s.requests())
        .arg(s.failed)
        .arg(num(s.throughput(), 0), num(s.latency.p50Ms), num(s.latency.p90Ms), num(s.latency.p99Ms),
             num(s.latency.maxMs), cpu, rss, num(r.ownCpu.total()));
}

} // namespace imprint::bench
