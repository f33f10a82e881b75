#pragma once

#include "base/Env.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist plan [CONTEXT]`: what `hoist run` would do with the same options and environment —
/// the CI context, the builder, every resolved option with where its value came from — and the
/// equivalent docker buildx commands. Checks everything `run` checks; makes and changes nothing.
class PlanCommand
{
public:
    /// Prints the plan. Returns the exit code (64 with every problem when run would refuse).
    static int run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                   std::vector<std::string> problems);
};

} // namespace hoist::app
