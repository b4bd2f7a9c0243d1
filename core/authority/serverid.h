#pragma once

#include "common/result.h"

#include <QString>

namespace imprint::authority {

// "srv_" + the 32 lowercase hex digits of a random version-4 UUID (PROTOCOL.md section 4).
Result<QString> newServerId();

// Whether `text` has exactly that shape; anything else never names a device.
bool isServerId(const QString &text);

} // namespace imprint::authority
