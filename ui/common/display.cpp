#include "display.h"

#include <QtGlobal>

namespace imprint::ui {

bool displayAvailable(QString *why)
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return true;
    if (why)
        *why = QStringLiteral("no display: neither DISPLAY nor WAYLAND_DISPLAY is set");
    return false;
#else
    Q_UNUSED(why);
    return true;
#endif
}

} // namespace imprint::ui
