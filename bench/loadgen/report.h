#pragma once

#include "options.h"
#include "procstat.h"
#include "stats.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace imprint::bench {

// Everything one run found out, for the text, JSON or Markdown output.
struct RunReport {
    QString url;
    Scenario scenario = Scenario::Enroll;
    TlsVersion tls = TlsVersion::Tls13;
    bool resume = false;
    int connections = 0;
    int threads = 0;
    int devices = 0;
    double preparationSeconds = 0;
    double warmupSeconds = 0;
    Summary summary;
    std::optional<CpuTime> serverCpu;       // during the measured window
    std::optional<MemoryUse> serverMemory;  // after it
    QString serverSampleError;
    CpuTime ownCpu;                         // during the measured window
    MemoryUse ownMemory;
    QStringList notes;

    // Server CPU microseconds per successful request; 0 without samples or requests.
    double serverCpuPerRequestUs() const;
};

QString formatText(const RunReport &report);
QString formatJson(const RunReport &report);
// One row for the table in docs/BENCHMARKS.md; markdownHeader() is its head.
QString formatMarkdownRow(const RunReport &report);
QString markdownHeader();

} // namespace imprint::bench
