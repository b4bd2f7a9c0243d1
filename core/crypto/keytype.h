#pragma once

#include <openssl/types.h>

#include <QString>

namespace imprint::crypto {

// The kinds of keys the protocol distinguishes. EcP256 is ECDSA on the named curve P-256
// only; P-256 given with explicit curve parameters counts as EcOther (Go cannot parse
// such keys, and explicit parameters are a classic source of curve-substitution bugs).
enum class KeyType { EcP256, EcOther, Ed25519, Rsa, Other };

// Generic name of a key type: "ECDSA P-256", "ECDSA", "Ed25519", "RSA", "other".
QString keyTypeName(KeyType type);

// Classifies a key; null gives Other.
KeyType keyTypeOf(const EVP_PKEY *key);

// Human description with curve or size: "ECDSA P-256", "ECDSA P-384", "ECDSA secp256k1",
// "ECDSA P-256 (explicit curve parameters)", "Ed25519", "RSA 2048", "DSA 2048", "no key".
QString describeKey(const EVP_PKEY *key);

} // namespace imprint::crypto
