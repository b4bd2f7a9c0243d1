#pragma once

#include "command.h"

#include <memory>
#include <vector>

// Every command of the executable, in the order `imprint --help` lists them.
std::vector<std::unique_ptr<Command>> makeCommands();
