#include "fingerprint/fingerprint.h"

#include "common/logging.h"
#include "fingerprint/collector.h"
#include "fingerprint/identityfile.h"

#include <QRandomGenerator>
#include <QUuid>

namespace imprint::fingerprint {

QString tierName(Tier tier)
{
    switch (tier) {
    case Tier::Hardware: return QStringLiteral("hardware");
    case Tier::Persisted: return QStringLiteral("persisted");
    case Tier::Generated: return QStringLiteral("generated");
    }
    return QStringLiteral("unknown");
}

QString randomUuidV4()
{
    // QRandomGenerator::system() is the operating system's CSPRNG (getrandom on Linux).
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    QByteArray bytes(reinterpret_cast<const char *>(words), sizeof(words));
    bytes[6] = char((uchar(bytes[6]) & 0x0f) | 0x40); // version 4
    bytes[8] = char((uchar(bytes[8]) & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces).toLower();
}

Result<Fingerprint> computeFingerprint(const FingerprintOptions &options)
{
    const auto collector = makePlatformCollector(options.root);
    return computeFingerprint(options, *collector);
}

Result<Fingerprint> computeFingerprint(const FingerprintOptions &options, const Collector &collector)
{
    // Tier 1: hardware.
    QList<Attribute> attributes;
    for (Attribute &attribute : collector.collect()) {
        attribute.value = normalise(attribute.value);
        if (!attribute.value.isEmpty())
            attributes.append(std::move(attribute));
    }
    if (!attributes.isEmpty()) {
        Fingerprint result{hashAttributes(attributes), Tier::Hardware, sortedByKey(attributes)};
        if (!options.persistDir.isEmpty()) {
            // The cache only matters if the hardware later becomes unreadable; the
            // fingerprint itself is good without it.
            if (Status cached = writeIdentityFile(options.persistDir, result.value); !cached) {
                qCWarning(lcFingerprint).noquote() << "event=identity_cache_failed"
                                                   << "reason=" + cached.errorMessage();
            }
        }
        return result;
    }
    if (const QString reason = collector.unavailableReason(); !reason.isEmpty())
        qCDebug(lcFingerprint).noquote() << "event=collector_unavailable"
                                         << "reason=" + reason;

    if (options.persistDir.isEmpty()) {
        return Result<Fingerprint>::failure(
            QStringLiteral("no hardware attributes could be read and no persist directory is configured; "
                           "pass --persist-dir"));
    }

    // Tier 2: persisted.
    const auto persisted = readIdentityFile(options.persistDir);
    if (!persisted.ok())
        return Result<Fingerprint>::failure(persisted.errorMessage());
    if (!persisted.value().isEmpty())
        return Fingerprint{persisted.value(), Tier::Persisted, {}};

    // Tier 3: generated.
    const QString value = fingerprintFromUuid(randomUuidV4());
    if (Status written = writeIdentityFile(options.persistDir, value); !written) {
        return Result<Fingerprint>::failure(
            QStringLiteral("cannot persist the generated identity: %1").arg(written.errorMessage()));
    }
    qCInfo(lcFingerprint).noquote() << "event=identity_generated"
                                    << "path=" + identityFilePath(options.persistDir);
    return Fingerprint{value, Tier::Generated, {}};
}

} // namespace imprint::fingerprint
