#pragma once

#include "base/Env.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist build [CONTEXT]`: builds on a running builder made by `hoist setup`.
class BuildCommand
{
public:
    /// Validates everything (problems holds the parser's), then builds. Progress goes to err.
    /// Returns the exit code: 0, or 1 when the build itself failed.
    static int run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                   std::ostream& err, std::vector<std::string> problems);
};

} // namespace hoist::app
