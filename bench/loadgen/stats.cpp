#include "stats.h"

#include <algorithm>
#include <cmath>

namespace imprint::bench {

void Recorder::success(Clock::duration latency, Clock::time_point now)
{
    ++ok;
    latenciesNs.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(latency).count());
    lastCompletion = std::max(lastCompletion, now);
}

void Recorder::failure(const std::string &kind, Clock::time_point now)
{
    ++failed;
    ++errors[kind];
    lastCompletion = std::max(lastCompletion, now);
}

namespace {

double toMs(std::int64_t ns)
{
    return double(ns) / 1e6;
}

// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

Summary summarize(std::vector<Recorder> &recorders, Clock::time_point windowStart, Clock::time_point windowEnd)
{
    Summary s;
    std::vector<std::int64_t> all;
    Clock::time_point last = windowEnd;
    for (auto &r : recorders) {
        s.ok += r.ok;
        s.failed += r.failed;
        s.connectionsOpened += r.connectionsOpened;
        s.sessionsResumed += r.sessionsResumed;
        for (const auto &[kind, count] : r.errors)
            s.errors[kind] += count;
        all.insert(all.end(), r.latenciesNs.begin(), r.latenciesNs.end());
        if (r.lastCompletion > last)
            last = r.lastCompletion;
    }
    std::sort(all.begin(), all.end());
    if (!all.empty()) {
        long double sum = 0;
        for (auto v : all)
            sum += v;
        s.latency.p50Ms = toMs(percentile(all, 50));
        s.latency.p90Ms = toMs(percentile(all, 90));
        s.latency.p99Ms = toMs(percentile(all, 99));
        s.latency.maxMs = toMs(all.back());
        s.latency.meanMs = double(sum / (long double)all.size()) / 1e6;
    }
    s.windowSeconds = std::chrono::duration<double>(last - windowStart).count();
    return s;
}

} // namespace imprint::bench
