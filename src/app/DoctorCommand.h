#pragma once

#include "base/Env.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist doctor`: checks that builds can run against this engine, each finding with a fix.
/// Exit 0 when a builder can run (privileged, or with the capability fallback), 69 when not.
class DoctorCommand
{
public:
    /// One finding.
    struct Finding
    {
        std::string check;  /// e.g. "engine"
        std::string status; /// "ok", "warn", "fail" or "info"
        std::string detail;
        std::string fix; /// what to do, for warn and fail
    };

    /// Runs every check and prints the findings (or JSON with --json). Returns the exit code.
    static int run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console);
};

} // namespace hoist::app
