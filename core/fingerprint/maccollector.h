#pragma once

#include "fingerprint/collector.h"

namespace imprint::fingerprint {

// macOS attributes:
//   platform_uuid  IOKit IOPlatformExpertDevice's IOPlatformUUID
//   mac_address    primary NIC (en0, ...)
// In builds for other platforms it reads nothing and says so in unavailableReason().
class MacCollector final : public Collector {
public:
    QString platform() const override { return QStringLiteral("macos"); }
    QList<Attribute> collect() const override;
    QString unavailableReason() const override;
};

} // namespace imprint::fingerprint
