#include "authority/serverid.h"

#include "crypto/random.h"

namespace imprint::authority {

Result<QString> newServerId()
{
    auto uuid = crypto::randomUuidV4();
    if (!uuid)
        return uuid.error();
    return QStringLiteral("srv_") + uuid.value().remove(QLatin1Char('-'));
}

} // namespace imprint::authority
