#pragma once

#include "command.h"

// imprint devices list|show|revoke|delete: the operator's view of the registry.
class DevicesListCommand final : public Command {
public:
    DevicesListCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

class DevicesShowCommand final : public Command {
public:
    DevicesShowCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

class DevicesRevokeCommand final : public Command {
public:
    DevicesRevokeCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

class DevicesDeleteCommand final : public Command {
public:
    DevicesDeleteCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
