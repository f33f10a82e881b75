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

/// `hoist setup`, `hoist teardown` and `hoist inspect`: validate everything, then drive
/// builder::Builder and print what it did.
class BuilderCommands
{
public:
    /// Sets the builder up (QEMU first); CI reports go to out. problems holds what parsing
    /// found; every problem is reported (exit 64) before anything is made.
    static int setup(const cli::Options& options, const base::Env& env, report::Console& console,
                     std::ostream& out, base::Problems problems);

    /// Removes the builder (keeping its state volume unless asked).
    static int teardown(const cli::Options& options, const base::Env& env, report::Console& console,
                        base::Problems problems);

    /// Prints the builder's status.
    static int inspect(const cli::Options& options, const base::Env& env, report::Console& console,
                       base::Problems problems);

    /// Makes `docker build` run `docker buildx build` in the docker config at dockerConfigDir
    /// (setup-buildx-action's install); a warning on console when it cannot.
    static void installAlias(const std::string& dockerConfigDir, report::Console& console);
};

} // namespace hoist::app
