#include "crypto/digest.h"

#include <openssl/evp.h>

namespace imprint::crypto {

QByteArray sha256(QByteArrayView data)
{
    static const char empty = 0;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // EVP_Digest wants a valid pointer even for zero bytes.
    const void *bytes = data.isEmpty() ? static_cast<const void *>(&empty) : data.data();
    if (EVP_Digest(bytes, static_cast<size_t>(data.size()), digest, &length, EVP_sha256(), nullptr) != 1
        || length != 32)
        return {};
    return QByteArray(reinterpret_cast<const char *>(digest), static_cast<qsizetype>(length));
}

QString sha256Hex(QByteArrayView data)
{
    return QString::fromLatin1(sha256(data).toHex());
}

} // namespace imprint::crypto
