#include "devicefilteroptions.h"

namespace imprint::console {

storage::DeviceFilter makeDeviceFilter(StatusFilter status, const QString &search, const QDateTime &now,
                                       qint64 renewalThresholdSeconds)
{
    storage::DeviceFilter filter;
    filter.search = search.trimmed();
    filter.now = now;
    switch (status) {
    case StatusFilter::All: break;
    case StatusFilter::Active: filter.status = storage::DeviceStatus::Active; break;
    case StatusFilter::Revoked: filter.status = storage::DeviceStatus::Revoked; break;
    case StatusFilter::Pending: filter.status = storage::DeviceStatus::Pending; break;
    case StatusFilter::ExpiringSoon:
        filter.status = storage::DeviceStatus::Active;
        filter.expiringWithinSeconds = renewalThresholdSeconds;
        break;
    case StatusFilter::Expired:
        filter.status = storage::DeviceStatus::Active;
        filter.expiredOnly = true;
        break;
    }
    return filter;
}

} // namespace imprint::console
