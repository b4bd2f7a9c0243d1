#pragma once

#include <QLocale>

class QCoreApplication;

namespace imprint::ui {

// Installs the translators for `locale` (the system's by default): Qt's own catalogs
// (standard buttons, dialogs) and every Imprint catalog compiled in under :/i18n
// (imprint_common, imprint_console, imprint_wizard, ...). Missing languages fall back
// to English silently. Returns the names of the catalogs that were loaded.
QStringList installTranslators(QCoreApplication &app, const QLocale &locale = QLocale());

// Removes what installTranslators() installed, so that a test can switch language.
void removeTranslators(QCoreApplication &app);

} // namespace imprint::ui
