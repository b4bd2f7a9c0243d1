#include "storage/records.h"

namespace imprint::storage {

QString operatorActor()
{
    return QStringLiteral("operator:") + qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

QString toString(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Active: return QStringLiteral("active");
    case DeviceStatus::Revoked: return QStringLiteral("revoked");
    case DeviceStatus::Pending: return QStringLiteral("pending");
    }
    return QStringLiteral("unknown");
}

Result<DeviceStatus> parseDeviceStatus(const QString &text)
{
    for (const DeviceStatus status : {DeviceStatus::Active, DeviceStatus::Revoked, DeviceStatus::Pending}) {
        if (text == toString(status))
            return status;
    }
    return Result<DeviceStatus>::failure(
        QStringLiteral("unknown device status '%1' (expected active, revoked or pending)").arg(text));
}

QString toString(IssuedHow how)
{
    switch (how) {
    case IssuedHow::Enroll: return QStringLiteral("enroll");
    case IssuedHow::Renew: return QStringLiteral("renew");
    case IssuedHow::Challenge: return QStringLiteral("challenge");
    case IssuedHow::Reenroll: return QStringLiteral("reenroll");
    }
    return QStringLiteral("unknown");
}

Result<IssuedHow> parseIssuedHow(const QString &text)
{
    for (const IssuedHow how : {IssuedHow::Enroll, IssuedHow::Renew, IssuedHow::Challenge, IssuedHow::Reenroll}) {
        if (text == toString(how))
            return how;
    }
    return Result<IssuedHow>::failure(
        QStringLiteral("unknown issuance kind '%1' (expected enroll, renew, challenge or reenroll)").arg(text));
}

} // namespace imprint::storage
