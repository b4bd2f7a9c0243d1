#pragma once

#include "common/result.h"
#include "crypto/privatekey.h"
#include "crypto/publickey.h"

#include <QByteArray>
#include <QString>

namespace imprint::crypto {

// The challenge-renewal proof of PROTOCOL.md section 3. `csrPem` is the request's PEM
// text byte for byte as sent in the JSON body (not a re-encoding).

// D = SHA-256(server_id + "\n" + fingerprint + "\n" + csr_pem), UTF-8, raw 32 bytes.
QByteArray proofDigest(const QString &serverId, const QString &fingerprint, const QByteArray &csrPem);

// Base64 (standard alphabet, padded) of the old key's signature over D: ECDSA P-256 signs
// D as a pre-hashed SHA-256 value (DER r,s), Ed25519 signs the 32 bytes of D (pure).
// Any other key type is refused.
Result<QByteArray> signProof(const PrivateKey &oldKey, const QString &serverId, const QString &fingerprint,
                             const QByteArray &csrPem);

// Checks a proof made by signProof (or any reference peer). Strict base64: only the
// standard alphabet, length a multiple of 4, padding only at the end. Only ECDSA P-256
// and Ed25519 keys are accepted. Errors: "proof is empty", "proof is not valid base64",
// "key type ... cannot sign proofs", "proof signature does not verify".
Status verifyProof(const PublicKey &oldKey, const QString &serverId, const QString &fingerprint,
                   const QByteArray &csrPem, const QByteArray &proofBase64);

} // namespace imprint::crypto
