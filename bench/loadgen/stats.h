#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace imprint::bench {

using Clock = std::chrono::steady_clock;

// Counters of one connection. Touched only by the io thread that runs that connection,
// so recording needs no locking; merged after the run.
struct Recorder {
    std::vector<std::int64_t> latenciesNs; // successful measured requests
    std::map<std::string, std::int64_t> errors; // kind -> count, measured requests
    std::int64_t ok = 0;
    std::int64_t failed = 0;
    std::int64_t connectionsOpened = 0; // measured window, incl. failed attempts
    std::int64_t sessionsResumed = 0;
    Clock::time_point lastCompletion{};

    void success(Clock::duration latency, Clock::time_point now);
    void failure(const std::string &kind, Clock::time_point now);
};

struct LatencySummary {
    double p50Ms = 0, p90Ms = 0, p99Ms = 0, maxMs = 0, meanMs = 0;
};

// Everything measured, merged over all connections.
struct Summary {
    std::int64_t ok = 0;
    std::int64_t failed = 0;
    std::int64_t connectionsOpened = 0;
    std::int64_t sessionsResumed = 0;
    std::map<std::string, std::int64_t> errors;
    LatencySummary latency;
    double windowSeconds = 0; // from the start of the window to the last completion

    std::int64_t requests() const { return ok + failed; }
    double throughput() const { return windowSeconds > 0 ? double(ok) / windowSeconds : 0; }
};

Summary summarize(std::vector<Recorder> &recorders, Clock::time_point windowStart, Clock::time_point windowEnd);

} // namespace imprint::bench
