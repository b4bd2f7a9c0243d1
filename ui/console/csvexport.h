#pragma once

#include "common/result.h"
#include "storage/records.h"

#include <QByteArray>
#include <QString>

namespace imprint::storage {
class Registry;
}

namespace imprint::console {

// The devices matching `filter` (all of them, not only the rows loaded on screen), in
// its order, as RFC 4180 CSV with a header line: machine-readable values (raw status
// words, RFC 3339 UTC times), so that a spreadsheet or script gets the same whatever the
// console's language.
Result<QByteArray> devicesCsv(storage::Registry &registry, storage::DeviceFilter filter);

// devicesCsv() written atomically to `path`.
Status exportDevicesCsv(storage::Registry &registry, const storage::DeviceFilter &filter, const QString &path);

// One CSV field, quoted when it holds a comma, a quote or a line break, and with a
// leading apostrophe when a spreadsheet would take it for a formula.
QString csvField(const QString &value);

} // namespace imprint::console
