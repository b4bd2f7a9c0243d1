#pragma once

#include "command.h"

// imprint console [--db URL] [--ca-dir DIR] [--refresh SECONDS]
// Opens the operator's CA console window.
class ConsoleCommand final : public Command {
public:
    ConsoleCommand();
    bool needsGui(const QStringList &arguments) const override;
    QString headlessHint() const override;

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
