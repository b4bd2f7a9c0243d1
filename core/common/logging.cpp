#include "common/logging.h"

#include <algorithm>

Q_LOGGING_CATEGORY(lcCrypto, "imprint.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFingerprint, "imprint.fingerprint", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDevice, "imprint.device", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuthority, "imprint.authority", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "imprint.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "imprint.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "imprint.access", QtInfoMsg)

namespace imprint {

void appendLogField(QByteArray &line, QByteArrayView raw, qsizetype maxBytes)
{
    const QByteArrayView kept = raw.first(std::min(raw.size(), maxBytes));
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char c : kept) {
        if (c > 0x20 && c < 0x7f) {
            line += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            line += '%';
            line += kHex[byte >> 4];
            line += kHex[byte & 0x0f];
        }
    }
    if (kept.size() < raw.size())
        line += "...";
}

QByteArray logField(QByteArrayView raw, qsizetype maxBytes)
{
    QByteArray field;
    field.reserve(std::min(raw.size(), maxBytes) + 3);
    appendLogField(field, raw, maxBytes);
    return field;
}

} // namespace imprint
