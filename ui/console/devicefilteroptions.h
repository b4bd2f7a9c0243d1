#pragma once

#include "storage/records.h"

#include <QDateTime>
#include <QString>

namespace imprint::console {

// The status choices of the console's filter box. "Expiring soon" and "expired" are not
// stored statuses but conditions on the current certificate of active devices.
enum class StatusFilter { All, Active, Revoked, Pending, ExpiringSoon, Expired };

// The renewal threshold of PROTOCOL.md section 6: devices renew this long before expiry,
// so an active device inside it that has not renewed deserves a look.
inline constexpr qint64 kDefaultRenewalThresholdSeconds = 30LL * 86400;

// The registry filter for a status choice and a search text at time `now`.
storage::DeviceFilter makeDeviceFilter(StatusFilter status, const QString &search, const QDateTime &now,
                                       qint64 renewalThresholdSeconds);

} // namespace imprint::console
