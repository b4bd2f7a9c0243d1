#include "crypto/random.h"

#include "crypto/handles.h"

#include <openssl/rand.h>

namespace imprint::crypto {

namespace {
// Far more than any key, nonce or identifier needs; keeps a bad count from allocating
// gigabytes.
constexpr qsizetype kMaxRandomBytes = 1024 * 1024;
} // namespace

Result<QByteArray> randomBytes(qsizetype count)
{
    if (count < 0 || count > kMaxRandomBytes)
        return Result<QByteArray>::failure(
            QStringLiteral("random byte count %1 is out of range (0 to %2)").arg(count).arg(kMaxRandomBytes));
    QByteArray bytes(count, Qt::Uninitialized);
    if (count == 0)
        return bytes;
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(count)) != 1)
        return Result<QByteArray>::failure(withOpensslError(QStringLiteral("the random generator failed")));
    return bytes;
}

Result<QString> randomUuidV4()
{
    auto bytes = randomBytes(16);
    if (!bytes)
        return Result<QString>::failure(bytes.errorMessage());
    QByteArray &b = bytes.value();
    b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40); // version 4
    b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80); // RFC 4122 variant
    const QByteArray hex = b.toHex();
    return QString::fromLatin1(hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4)
                               + '-' + hex.mid(20, 12));
}

} // namespace imprint::crypto
