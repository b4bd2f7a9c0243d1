#pragma once

#include <QString>

namespace imprint::ui {

// Whether a window can be shown at all, decided before QApplication exists: on X11 and
// Wayland a missing display makes QApplication abort, and a technician on a serial
// console deserves a sentence instead. An explicit QT_QPA_PLATFORM (offscreen, eglfs,
// linuxfb, ...) is trusted as it is. On failure `why` says what is missing.
bool displayAvailable(QString *why = nullptr);

} // namespace imprint::ui
