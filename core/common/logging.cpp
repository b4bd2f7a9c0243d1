#include "common/logging.h"

Q_LOGGING_CATEGORY(lcCrypto, "imprint.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFingerprint, "imprint.fingerprint", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDevice, "imprint.device", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuthority, "imprint.authority", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "imprint.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "imprint.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "imprint.access", QtInfoMsg)
