#pragma once

#include "base/Env.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist run [CONTEXT]`: setup → build → teardown with every setup and build option, the
/// builder's lock held throughout so concurrent jobs on one engine take turns; teardown
/// (keeping state unless --keep-state=false) runs after a failed build and on SIGINT/SIGTERM.
/// The exit code is the build's.
class RunCommand
{
public:
    /// Validates everything first (problems holds the parser's), then runs.
    static int run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                   std::ostream& err, std::vector<std::string> problems);
};

} // namespace hoist::app
