#include "crypto/keypolicy.h"

namespace imprint::crypto {

Status checkIssuanceKey(const PublicKey &key)
{
    if (key.isNull())
        return Status::failure(QStringLiteral("no public key; use ECDSA P-256 or Ed25519"));
    switch (key.type()) {
    case KeyType::EcP256:
    case KeyType::Ed25519:
        return Status::success();
    case KeyType::EcOther:
    case KeyType::Rsa:
    case KeyType::Other:
        break;
    }
    return Status::failure(
        QStringLiteral("key type %1 is not accepted; use ECDSA P-256 or Ed25519").arg(key.description()));
}

} // namespace imprint::crypto
