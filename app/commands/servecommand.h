#pragma once

#include "command.h"

// imprint serve: the enrollment service (PROTOCOL.md section 3) on one HTTPS port.
class ServeCommand final : public Command {
public:
    ServeCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
