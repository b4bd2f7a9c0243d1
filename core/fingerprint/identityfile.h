#pragma once

#include "common/result.h"

#include <QLatin1String>
#include <QString>

namespace imprint::fingerprint {

inline constexpr QLatin1String kIdentityFileName("imprint-identity");

// <persistDir>/imprint-identity
QString identityFilePath(const QString &persistDir);

// The fingerprint stored in the identity file, white space trimmed; an empty string when
// the file does not exist or holds only white space (both count as absent).
// Content that is not "sha256:<64 lowercase hex>" is still returned, as the reference
// does (a peer may have written it and the server compares it verbatim), with a warning.
// Fails when the file exists but cannot be read: generating a new identity over one we
// merely failed to read would silently change the machine's identity.
Result<QString> readIdentityFile(const QString &persistDir);

// Writes fingerprint + "\n" atomically with mode 0600. A missing persist directory is
// created with mode 0700; an existing one keeps its mode (it may be a directory the
// operator shares with other files, such as /var/lib/<app>).
Status writeIdentityFile(const QString &persistDir, const QString &fingerprint);

} // namespace imprint::fingerprint
