#include "commandregistry.h"

#include "commands/fingerprintcommand.h"

std::vector<std::unique_ptr<Command>> makeCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<FingerprintCommand>());
    return commands;
}
