#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist plan [CONTEXT]`: what `hoist run` would do with the same options and environment —
/// the CI context, the builder, every option with where its value came from, and the
/// equivalent docker buildx commands. Checks everything run checks and changes nothing.
class PlanCommand
{
public:
    /// Prints the plan; problems (the parser's) are reported with the plan's own, exit 64.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   base::Problems problems);
};

} // namespace hoist::app
