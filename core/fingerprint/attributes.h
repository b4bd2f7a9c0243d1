#pragma once

#include <QLatin1String>
#include <QList>
#include <QString>

namespace imprint::fingerprint {

// One machine attribute that goes into the hardware fingerprint, e.g. machine_id.
struct Attribute {
    QString key;
    QString value;

    friend bool operator==(const Attribute &, const Attribute &) = default;
};

// Attribute keys of PROTOCOL.md section 2.
inline constexpr QLatin1String kMachineId("machine_id");
inline constexpr QLatin1String kProductUuid("product_uuid");
inline constexpr QLatin1String kMachineGuid("machine_guid");
inline constexpr QLatin1String kPlatformUuid("platform_uuid");
inline constexpr QLatin1String kMacAddress("mac_address");

// The normalisation every attribute value gets: white space trimmed on both ends,
// lowercased.
QString normalise(const QString &value);

// Sorts the attributes by key in UTF-8 byte order (stable, so equal keys keep their
// order), as the hash and any display of them use it.
QList<Attribute> sortedByKey(QList<Attribute> attributes);

// "sha256:" + lowercase hex of SHA-256 over "key=value\n" for each attribute sorted by
// key. The values are hashed as given: collectors normalise them.
QString hashAttributes(QList<Attribute> attributes);

// "sha256:" + lowercase hex of SHA-256 over the UUID string's UTF-8 bytes (tier 3).
QString fingerprintFromUuid(const QString &uuid);

// Whether `text` has the shape of a fingerprint: "sha256:" and 64 lowercase hex digits.
bool isWellFormedFingerprint(const QString &text);

} // namespace imprint::fingerprint
