#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace imprint {

// A build-secret file: one secret per line, surrounding white space trimmed, blank lines
// and lines starting with '#' skipped. The service accepts every secret in it; a device
// sends one. A file without any secret is an error that names it.
Result<QList<QByteArray>> readSecretFile(const QString &path);

} // namespace imprint
