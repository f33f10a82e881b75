#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist run [CONTEXT]`: setup, build and teardown in one go. Everything is validated before
/// anything is made; teardown runs after a failed build and on SIGINT/SIGTERM/SIGHUP too,
/// keeping the state volume unless asked otherwise. The exit code is the build's.
class RunCommand
{
public:
    /// Runs the job; progress and CI commands go to err.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);
};

} // namespace hoist::app
