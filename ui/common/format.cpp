#include "format.h"

#include <QCoreApplication>
#include <QLocale>

namespace imprint::ui {

QString formatDateTime(const QDateTime &time)
{
    if (!time.isValid())
        return QCoreApplication::translate("imprint::ui::Format", "never");
    return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"));
}

qint64 daysLeft(const QDateTime &notAfter, const QDateTime &now)
{
    const qint64 seconds = now.secsTo(notAfter);
    const qint64 day = 86400;
    return seconds >= 0 ? seconds / day : -((-seconds + day - 1) / day);
}

QString formatDaysLeft(const QDateTime &notAfter, const QDateTime &now)
{
    if (!notAfter.isValid())
        return QCoreApplication::translate("imprint::ui::Format", "no certificate");
    const qint64 days = daysLeft(notAfter, now);
    if (now >= notAfter) {
        // Kept out of the translate() call: lupdate 6.4 loops forever on a template
        // argument list inside one.
        const int ago = days < 0 ? int(-days) : 0;
        return QCoreApplication::translate("imprint::ui::Format", "expired %n day(s) ago", nullptr, ago);
    }
    if (days == 0)
        return QCoreApplication::translate("imprint::ui::Format", "expires today");
    return QCoreApplication::translate("imprint::ui::Format", "%n day(s) left", nullptr, int(days));
}

} // namespace imprint::ui
