#pragma once

#include <QDateTime>
#include <QString>

namespace imprint::ui {

// How the windows show times and remaining validity, in one place so that the console
// and the wizard agree. Times are shown in local time; an invalid time reads "never".
QString formatDateTime(const QDateTime &time);
// Whole days from `now` to `notAfter`: "12 days left", "expires today", "expired 3 days ago".
QString formatDaysLeft(const QDateTime &notAfter, const QDateTime &now);
// Signed whole days (rounded towards minus infinity) from now to notAfter.
qint64 daysLeft(const QDateTime &notAfter, const QDateTime &now);

} // namespace imprint::ui
