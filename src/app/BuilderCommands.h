#pragma once

#include "base/Env.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist setup`, `hoist teardown` and `hoist inspect`: the builder's lifecycle.
class BuilderCommands
{
public:
    /// Creates or reuses the builder and waits for it. problems holds the parser's; this adds
    /// its own and reports all before touching the engine. Returns the exit code.
    static int setup(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                     std::ostream& out, std::vector<std::string> problems);

    /// Removes the builder, keeping its state volume unless --keep-state=false.
    static int teardown(const cli::ParsedCommand& cmd, const base::Env& env,
                        report::Console& console, std::vector<std::string> problems);

    /// Prints the builder's status.
    static int inspect(const cli::ParsedCommand& cmd, const base::Env& env,
                       report::Console& console, std::vector<std::string> problems);
};

} // namespace hoist::app
