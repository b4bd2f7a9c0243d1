#include "procstat.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace imprint::bench {

namespace {

Result<QByteArray> readProcFile(qint64 pid, const char *name)
{
    const QString path = pid == 0 ? QStringLiteral("/proc/self/%1").arg(QLatin1String(name))
                                  : QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(
            QStringLiteral("cannot read %1 (is --server-pid %2 running?): %3").arg(path).arg(pid).arg(file.errorString()));
    return file.readAll();
}

} // namespace

Result<CpuTime> processCpu(qint64 pid)
{
    auto stat = readProcFile(pid, "stat");
    if (!stat)
        return Result<CpuTime>::failure(stat.errorMessage());
    // The command name (field 2) is in parentheses and may contain spaces; count fields
    // after its closing parenthesis: state is field 3, utime 14, stime 15.
    const qsizetype close = stat->lastIndexOf(')');
    if (close < 0)
        return Result<CpuTime>::failure(QStringLiteral("unexpected /proc/%1/stat format").arg(pid));
    const QList<QByteArray> fields = stat->mid(close + 2).split(' ');
    if (fields.size() < 13)
        return Result<CpuTime>::failure(QStringLiteral("unexpected /proc/%1/stat format").arg(pid));
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return CpuTime{fields.at(11).toDouble() / ticks, fields.at(12).toDouble() / ticks};
}

Result<MemoryUse> processMemory(qint64 pid)
{
    auto status = readProcFile(pid, "status");
    if (!status)
        return Result<MemoryUse>::failure(status.errorMessage());
    MemoryUse use;
    for (const QByteArray &line : status->split('\n')) {
        auto value = [&] { return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong(); };
        if (line.startsWith("VmHWM:"))
            use.peakRssKiB = value();
        else if (line.startsWith("VmRSS:"))
            use.rssKiB = value();
    }
    return use;
}

CpuTime ownCpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

MemoryUse ownMemory()
{
    auto use = processMemory(0);
    return use ? *use : MemoryUse{};
}

} // namespace imprint::bench
