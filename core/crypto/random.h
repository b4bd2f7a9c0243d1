#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace imprint::crypto {

// `count` bytes from OpenSSL's CSPRNG (0 gives an empty array; negative is an error).
Result<QByteArray> randomBytes(qsizetype count);

// A random version-4 UUID, lowercase "xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx" (Y in 8..b).
Result<QString> randomUuidV4();

} // namespace imprint::crypto
