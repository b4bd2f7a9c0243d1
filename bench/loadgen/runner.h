#pragma once

#include "common/result.h"
#include "options.h"
#include "report.h"

namespace imprint::bench {

// The whole run: refuse non-loopback targets, prepare keys, CSRs and devices (before the
// clock), connect, warm up, measure, stop, sample the server. Fails only when nothing
// meaningful could be measured (bad options, preparation failed); request errors during
// the window are part of the report.
Result<RunReport> runBenchmark(const Options &options);

} // namespace imprint::bench
