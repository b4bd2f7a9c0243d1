#include "common/displaytext.h"

namespace imprint {

bool isUnsafeToDisplay(char16_t c)
{
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return true;
    switch (c) {
    case 0x061c: // Arabic letter mark
    case 0x200e: // left-to-right mark
    case 0x200f: // right-to-left mark
    case 0x2028: // line separator
    case 0x2029: // paragraph separator
        return true;
    default: break;
    }
    return (c >= 0x202a && c <= 0x202e)  // embeddings and overrides
        || (c >= 0x2066 && c <= 0x2069); // isolates
}

char16_t firstUnsafeToDisplay(const QString &text)
{
    for (const QChar c : text) {
        if (isUnsafeToDisplay(c.unicode()))
            return c.unicode();
    }
    return 0;
}

QString safeToDisplay(const QString &text)
{
    if (!firstUnsafeToDisplay(text))
        return text;
    QString safe = text;
    for (QChar &c : safe) {
        if (isUnsafeToDisplay(c.unicode()))
            c = QChar::ReplacementCharacter;
    }
    return safe;
}

} // namespace imprint
