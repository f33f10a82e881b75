#pragma once

#include "base/Env.h"
#include "cli/Options.h"
#include "report/Console.h"

namespace hoist::app
{

/// `hoist doctor`: checks that builds can run against this engine, each finding with a fix.
/// Exit 0 when a builder can run (privileged, or with the capability fallback), 69 when not.
class DoctorCommand
{
public:
    /// Runs every check and prints the findings (or JSON). Returns the exit code.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console);
};

} // namespace hoist::app
