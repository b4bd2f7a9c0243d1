#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QString>

#include <functional>

namespace imprint::storage {
class Registry;
}

namespace imprint::testing {

// Fills a registry with a plausible fleet for the console's benchmark, screenshots and
// manual testing: mostly active kiosks and servers with certificates expiring over the
// coming year (a few already expired, a renewal cliff in one week), some revoked, a
// history of renewals, recent last-seen times. Deterministic for a given seed.
struct FleetOptions {
    int devices = 1000;
    quint64 seed = 1;
    QDateTime now;              // the fleet's "today"
    double revokedShare = 0.03; // of all devices
    double expiredShare = 0.02; // of active devices
};

// Writes through storage::Registry, as the service does (one transaction per device).
// `progress` is called every 1,000 devices with the number written.
Status generateFleet(storage::Registry &registry, const FleetOptions &options,
                     const std::function<void(int)> &progress = {});

} // namespace imprint::testing
