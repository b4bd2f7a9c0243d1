#include "authority/deviceattributes.h"

#include "common/displaytext.h"

namespace imprint::authority {

namespace {

Status checkAttribute(const char *name, const QString &value, qsizetype maxChars)
{
    if (value.size() > maxChars)
        return Error{QStringLiteral("field \"%1\" is longer than %2 characters").arg(QLatin1String(name)).arg(maxChars)};
    if (const char16_t c = firstUnsafeToDisplay(value)) {
        const QString codePoint = QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0'));
        return Error{QStringLiteral("field \"%1\" contains the control character U+%2").arg(QLatin1String(name), codePoint)};
    }
    return {};
}

} // namespace

Status checkDeviceAttributes(const protocol::EnrollRequest &request)
{
    if (Status checked = checkAttribute("fingerprint", request.fingerprint, kMaxFingerprintChars); !checked)
        return checked;
    if (Status checked = checkAttribute("hostname", request.hostname, kMaxHostnameChars); !checked)
        return checked;
    if (Status checked = checkAttribute("os", request.os, kMaxPlatformChars); !checked)
        return checked;
    return checkAttribute("arch", request.arch, kMaxPlatformChars);
}

} // namespace imprint::authority
