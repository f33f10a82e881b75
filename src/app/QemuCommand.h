#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <ostream>

namespace hoist::app
{

/// `hoist qemu`: docker/setup-qemu-action's job alone. Removes every registered emulator when
/// asked (--reset), registers the emulators --platform needs (default all: every one the
/// installer has), and prints the platforms the engine can run, comma-separated (the
/// action's platforms output).
class QemuCommand
{
public:
    /// Runs the command with the typed options; problems holds what parsing found. Returns
    /// the exit code; throws hoist's exceptions (usage, unavailable) for App to report.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& out, base::Problems problems);
};

} // namespace hoist::app
