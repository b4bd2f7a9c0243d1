#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace imprint::crypto {

// Compares the contents in time independent of where they differ (CRYPTO_memcmp).
// Lengths are not secret: different lengths give false without looking at the content.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// Whether `candidate` equals one of `allowed` (PROTOCOL.md section 1, build secrets):
// both sides are hashed with SHA-256 and the digests compared in constant time against
// every allowed value, without stopping at a match, so neither the position of the match
// nor the lengths of the secrets show in the timing. An empty list matches nothing.
bool secretMatchesAny(QByteArrayView candidate, const QList<QByteArray> &allowed);

} // namespace imprint::crypto
