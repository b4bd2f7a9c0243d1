#include "authority/serverid.h"

#include "crypto/random.h"

#include <QRegularExpression>

namespace imprint::authority {

Result<QString> newServerId()
{
    auto uuid = crypto::randomUuidV4();
    if (!uuid)
        return uuid.error();
    return QStringLiteral("srv_") + uuid.value().remove(QLatin1Char('-'));
}

bool isServerId(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^srv_[0-9a-f]{32}$"));
    return pattern.match(text).hasMatch();
}

} // namespace imprint::authority
