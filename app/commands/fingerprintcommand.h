#pragma once

#include "command.h"

// imprint fingerprint [--persist-dir DIR] [--root DIR] [--json]
// Prints this machine's fingerprint, the tier it came from and the attributes hashed.
class FingerprintCommand final : public Command {
public:
    FingerprintCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
