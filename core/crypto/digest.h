#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace imprint::crypto {

// SHA-256 of `data`: the raw 32 bytes. (Empty only if OpenSSL itself is unusable.)
QByteArray sha256(QByteArrayView data);

// SHA-256 of `data` as 64 lowercase hexadecimal digits.
QString sha256Hex(QByteArrayView data);

} // namespace imprint::crypto
