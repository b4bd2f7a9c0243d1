#include "common/secretfile.h"

#include "common/atomicfile.h"

namespace imprint {

namespace {
constexpr qint64 kMaxSecretFileBytes = 1 << 20;
}

Result<QList<QByteArray>> readSecretFile(const QString &path)
{
    auto content = readFileLimited(path, kMaxSecretFileBytes);
    if (!content)
        return content.error();
    QList<QByteArray> secrets;
    for (QByteArray line : content.value().split('\n')) {
        line = line.trimmed();
        if (!line.isEmpty() && !line.startsWith('#'))
            secrets << line;
    }
    if (secrets.isEmpty())
        return Result<QList<QByteArray>>::failure(QStringLiteral("%1 holds no build secret").arg(path));
    return secrets;
}

} // namespace imprint
