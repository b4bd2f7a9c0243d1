#pragma once

#include <QLoggingCategory>

// One category per area, so that an operator can turn on e.g. "imprint.service.debug=true".
// Messages are one line of key=value fields; never a private key or a build secret.
Q_DECLARE_LOGGING_CATEGORY(lcCrypto)
Q_DECLARE_LOGGING_CATEGORY(lcFingerprint)
Q_DECLARE_LOGGING_CATEGORY(lcDevice)
Q_DECLARE_LOGGING_CATEGORY(lcAuthority)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcService)
Q_DECLARE_LOGGING_CATEGORY(lcAccess)
