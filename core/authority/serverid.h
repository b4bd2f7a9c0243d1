#pragma once

#include "common/result.h"

#include <QString>

namespace imprint::authority {

// "srv_" + the 32 lowercase hex digits of a random version-4 UUID (PROTOCOL.md section 4).
Result<QString> newServerId();

} // namespace imprint::authority
