#pragma once

#include "command.h"

// imprint wizard [--url URL] [--ca-pin PIN] [--store-dir DIR] [--fullscreen] [--headless]
// Opens the technician's enrollment wizard, or runs the same flow on the terminal.
class WizardCommand final : public Command {
public:
    WizardCommand();
    bool needsGui(const QStringList &arguments) const override;
    QString headlessHint() const override;

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
