#include "common/duration.h"

#include <limits>

namespace imprint {

Result<std::chrono::seconds> parseDuration(const QString &text)
{
    const QString trimmed = text.trimmed();
    auto invalid = [&] {
        return Result<std::chrono::seconds>::failure(
            QStringLiteral("invalid duration \"%1\": expected a positive number with a unit s, m, h or d, "
                           "for example 30d or 24h")
                .arg(text));
    };
    if (trimmed.size() < 2)
        return invalid();
    qint64 unit = 0;
    switch (trimmed.back().unicode()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return invalid();
    }
    const QStringView digits = QStringView(trimmed).chopped(1);
    for (QChar c : digits) {
        if (!c.isDigit() || c.unicode() > '9')
            return invalid();
    }
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    if (!ok || count <= 0 || count > std::numeric_limits<qint64>::max() / unit / 1000)
        return invalid();
    return std::chrono::seconds(count * unit);
}

QString formatDuration(std::chrono::seconds duration)
{
    const qint64 s = duration.count();
    if (s != 0 && s % 86400 == 0)
        return QString::number(s / 86400) + QLatin1Char('d');
    if (s != 0 && s % 3600 == 0)
        return QString::number(s / 3600) + QLatin1Char('h');
    if (s != 0 && s % 60 == 0)
        return QString::number(s / 60) + QLatin1Char('m');
    return QString::number(s) + QLatin1Char('s');
}

} // namespace imprint
