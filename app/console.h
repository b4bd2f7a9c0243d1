#pragma once

#include <QJsonDocument>
#include <QString>

// Writing to the terminal without QTextStream buffering surprises: every call is
// written and flushed at once, as UTF-8.
namespace console {

void out(const QString &text);
void err(const QString &text);
// Pretty-printed JSON followed by a newline on standard output.
void json(const QJsonDocument &document);

} // namespace console
