#pragma once

#include "fingerprint/attributes.h"

#include <QList>
#include <QString>

#include <memory>

namespace imprint::fingerprint {

// Reads the hardware attributes of one platform (PROTOCOL.md section 2). Attributes that
// cannot be read are left out, never reported as errors: tier 1 uses whatever is there.
class Collector {
public:
    Collector() = default;
    virtual ~Collector() = default;
    Collector(const Collector &) = delete;
    Collector &operator=(const Collector &) = delete;

    // "linux", "windows", "macos", ...
    virtual QString platform() const = 0;

    // The attributes that could be read, values normalised and non-empty.
    virtual QList<Attribute> collect() const = 0;

    // Why this collector cannot read anything in this build (e.g. the Windows collector
    // in a Linux build); empty when it is usable.
    virtual QString unavailableReason() const { return {}; }
};

// The collector of the platform this build runs on. `root` is the file-system root the
// Linux collector reads under (tests point it at a fake tree); other platforms ignore it.
std::unique_ptr<Collector> makePlatformCollector(const QString &root = QStringLiteral("/"));

} // namespace imprint::fingerprint
