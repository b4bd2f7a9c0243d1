#include "device/deviceerror.h"

namespace imprint::device {

QString kindName(DeviceError::Kind kind)
{
    switch (kind) {
    case DeviceError::Kind::Network: return QStringLiteral("network");
    case DeviceError::Kind::Timeout: return QStringLiteral("timeout");
    case DeviceError::Kind::Tls: return QStringLiteral("tls");
    case DeviceError::Kind::PinMismatch: return QStringLiteral("pin_mismatch");
    case DeviceError::Kind::CaNotPresented: return QStringLiteral("ca_not_presented");
    case DeviceError::Kind::Http: return QStringLiteral("http");
    case DeviceError::Kind::MalformedResponse: return QStringLiteral("malformed_response");
    case DeviceError::Kind::Local: return QStringLiteral("local");
    case DeviceError::Kind::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace imprint::device
