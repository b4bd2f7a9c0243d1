#pragma once

#include "command.h"

// imprint enroll: enroll this device with a service.
class EnrollCommand final : public Command {
public:
    EnrollCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

// imprint renew: RenewOrReenroll once, printing the action taken.
class RenewCommand final : public Command {
public:
    RenewCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

// imprint status: what the store holds and what state its certificate is in.
class StatusCommand final : public Command {
public:
    StatusCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

// imprint daemon: the auto-renewer in the foreground, for a service manager.
class DaemonCommand final : public Command {
public:
    DaemonCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};

// imprint request: one HTTPS request with the device's credentials (mutual TLS).
class RequestCommand final : public Command {
public:
    RequestCommand();

protected:
    void configure(QCommandLineParser &parser) override;
    int run(const QCommandLineParser &parser) override;
};
