#include "crypto/constanttime.h"

#include "crypto/digest.h"

#include <openssl/crypto.h>

namespace imprint::crypto {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

bool secretMatchesAny(QByteArrayView candidate, const QList<QByteArray> &allowed)
{
    const QByteArray candidateDigest = sha256(candidate);
    if (candidateDigest.size() != 32)
        return false;
    unsigned int matched = 0;
    for (const QByteArray &secret : allowed) {
        const QByteArray digest = sha256(secret);
        if (digest.size() != 32)
            continue;
        // Accumulate without branching on the outcome and without stopping early.
        matched |= static_cast<unsigned int>(CRYPTO_memcmp(digest.constData(), candidateDigest.constData(), 32) == 0);
    }
    return matched != 0;
}

} // namespace imprint::crypto
