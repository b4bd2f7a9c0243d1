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

QByteArray logField(QByteArrayView raw, qsizetype maxBytes)
{
    const auto safe = [](char c) { return c > 0x20 && c < 0x7f; };
    const QByteArrayView kept = raw.first(std::min(raw.size(), maxBytes));
    if (kept.size() == raw.size() && std::all_of(raw.begin(), raw.end(), safe))
        return raw.toByteArray();
    static constexpr char kHex[] = "0123456789ABCDEF";
    QByteArray field;
    field.reserve(kept.size() + 3);
    for (const char c : kept) {
        if (safe(c)) {
            field += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            field += '%';
            field += kHex[byte >> 4];
            field += kHex[byte & 0x0f];
        }
    }
    if (kept.size() < raw.size())
        field += "...";
    return field;
}

} // namespace imprint
