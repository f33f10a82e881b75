#pragma once

#include "cli/Options.h"
#include "report/Console.h"

namespace hoist::app
{

/// `hoist version`: hoist's version, commit, Poco, compiler, linkage and the default
/// BuildKit image; as JSON with --json.
class VersionCommand
{
public:
    /// Prints the version information to console. Returns the exit code.
    static int run(const cli::Options& options, report::Console& console);
};

} // namespace hoist::app
