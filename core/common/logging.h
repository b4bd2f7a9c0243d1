#pragma once

#include <QByteArray>
#include <QByteArrayView>
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

namespace imprint {

// A value from the network (a request path, a server_id a client claims) made fit for a
// key=value log line: printable ASCII other than space stays, every other byte becomes
// %XX, so that it can neither end the line, forge a field, nor reach a terminal as a
// control sequence; longer than `maxBytes`, it is cut and ends in "...".
QByteArray logField(QByteArrayView raw, qsizetype maxBytes = 256);
// The same, appended to `line` (no copy of its own, for the access log of every request).
void appendLogField(QByteArray &line, QByteArrayView raw, qsizetype maxBytes = 256);

} // namespace imprint
