#pragma once

#include "common/result.h"
#include "crypto/publickey.h"

namespace imprint::crypto {

// The keys our CA certifies (PROTOCOL.md section 4, beyond the reference): ECDSA on the
// named curve P-256, and Ed25519. Anything else fails with a reason naming what was found,
// e.g. "key type RSA 2048 is not accepted; use ECDSA P-256 or Ed25519".
Status checkIssuanceKey(const PublicKey &key);

} // namespace imprint::crypto
