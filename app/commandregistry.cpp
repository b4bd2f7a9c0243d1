#include "commandregistry.h"

#include "commands/cacommands.h"
#include "commands/consolecommand.h"
#include "commands/devicecommands.h"
#include "commands/devicescommands.h"
#include "commands/fingerprintcommand.h"
#include "commands/servecommand.h"
#include "commands/wizardcommand.h"

std::vector<std::unique_ptr<Command>> makeCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    // Service side.
    commands.push_back(std::make_unique<ServeCommand>());
    commands.push_back(std::make_unique<CaInitCommand>());
    commands.push_back(std::make_unique<CaShowCommand>());
    commands.push_back(std::make_unique<DevicesListCommand>());
    commands.push_back(std::make_unique<DevicesShowCommand>());
    commands.push_back(std::make_unique<DevicesRevokeCommand>());
    commands.push_back(std::make_unique<DevicesDeleteCommand>());
    commands.push_back(std::make_unique<ConsoleCommand>());
    // Device side.
    commands.push_back(std::make_unique<EnrollCommand>());
    commands.push_back(std::make_unique<WizardCommand>());
    commands.push_back(std::make_unique<RenewCommand>());
    commands.push_back(std::make_unique<StatusCommand>());
    commands.push_back(std::make_unique<DaemonCommand>());
    commands.push_back(std::make_unique<RequestCommand>());
    commands.push_back(std::make_unique<FingerprintCommand>());
    return commands;
}
