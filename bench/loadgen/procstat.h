#pragma once

#include "common/result.h"

#include <QtGlobal>

namespace imprint::bench {

struct CpuTime {
    double userSeconds = 0;
    double systemSeconds = 0;
    double total() const { return userSeconds + systemSeconds; }
    CpuTime operator-(const CpuTime &other) const
    {
        return {userSeconds - other.userSeconds, systemSeconds - other.systemSeconds};
    }
};

struct MemoryUse {
    qint64 peakRssKiB = 0; // VmHWM
    qint64 rssKiB = 0;     // VmRSS
};

// utime and stime of process `pid` (all its threads), from /proc/PID/stat.
Result<CpuTime> processCpu(qint64 pid);
// VmHWM and VmRSS from /proc/PID/status.
Result<MemoryUse> processMemory(qint64 pid);
// This process (getrusage).
CpuTime ownCpu();
MemoryUse ownMemory();

} // namespace imprint::bench
