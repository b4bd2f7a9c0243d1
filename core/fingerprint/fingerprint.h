#pragma once

#include "common/result.h"
#include "fingerprint/attributes.h"

#include <QList>
#include <QString>

namespace imprint::fingerprint {

class Collector;

// How the fingerprint was obtained (PROTOCOL.md section 2).
enum class Tier { Hardware, Persisted, Generated };

// "hardware", "persisted", "generated"
QString tierName(Tier tier);

struct Fingerprint {
    QString value; // "sha256:<64 lowercase hex>" (a persisted one is taken verbatim)
    Tier tier = Tier::Hardware;
    // The attributes hashed in tier 1, sorted by key; empty for the other tiers.
    QList<Attribute> attributes;
};

struct FingerprintOptions {
    // File-system root the Linux collector reads under.
    QString root = QStringLiteral("/");
    // Where the identity file lives; empty disables tiers 2 and 3 and the tier-1 cache.
    QString persistDir;
};

// The three tiers in order: hardware attributes (cached to the identity file when a
// persist directory is set; a failing cache write is only a warning), else the
// persisted identity file, else a random UUID v4 hashed and persisted (a failing write
// is an error: a fingerprint that changes on every run is worse than none).
Result<Fingerprint> computeFingerprint(const FingerprintOptions &options);
// The same with a given collector (tests, other platforms); options.root is unused.
Result<Fingerprint> computeFingerprint(const FingerprintOptions &options, const Collector &collector);

// A random version-4 UUID, lowercase, without braces, from the system CSPRNG.
QString randomUuidV4();

} // namespace imprint::fingerprint
