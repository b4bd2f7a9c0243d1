#pragma once

#include <QString>

namespace imprint {

// Text that devices send about themselves ends up in terminals, windows and spreadsheets.
// These are the characters that must not reach an operator's eyes as they are: C0 and C1
// controls (a terminal runs escape sequences), line and paragraph separators, and the
// Unicode bidirectional controls (they reorder what is shown, so that one host name can
// read as another).
bool isUnsafeToDisplay(char16_t c);

// The first such character in `text`, or 0.
char16_t firstUnsafeToDisplay(const QString &text);

// `text` with each such character replaced by U+FFFD, for printing records that were
// stored before they were refused at the door (or written by other means).
QString safeToDisplay(const QString &text);

} // namespace imprint
