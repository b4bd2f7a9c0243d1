#pragma once

#include "command.h"

// imprint ca init: creates the CA of PROTOCOL.md section 4 in a directory.
class CaInitCommand final : public Command {
public:
    CaInitCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

// imprint ca show: the CA's subject, validity and pin.
class CaShowCommand final : public Command {
public:
    CaShowCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
