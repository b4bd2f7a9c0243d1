#pragma once

#include "fingerprint/collector.h"

namespace imprint::fingerprint {

// Windows attributes:
//   machine_guid  HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid (64-bit registry view)
//   mac_address   primary NIC by friendly name
// In builds for other platforms it reads nothing and says so in unavailableReason().
class WindowsCollector final : public Collector {
public:
    QString platform() const override { return QStringLiteral("windows"); }
    QList<Attribute> collect() const override;
    QString unavailableReason() const override;
};

} // namespace imprint::fingerprint
