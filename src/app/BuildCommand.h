#pragma once

#include "app/BuildPlan.h"
#include "app/EngineConnection.h"
#include "base/Env.h"
#include "builder/Builder.h"
#include "buildrun/BuildStep.h"
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

    /// Refuses what the engine cannot take before anything is made: several platforms to
    /// --load into the classic image store. Throws base::UsageException.
    static void checkEngine(const BuildPlan::Result& plan, EngineConnection& conn);

    /// Builds plan on the running builder b (shared by `hoist build` and `hoist run`): checks
    /// what the engine can load, gives buildctl the registry credentials, prints progress to
    /// err, writes --metadata-file and --iidfile. Returns the summary. Throws
    /// base::BuildFailedException when the build fails.
    static buildrun::BuildSummary execute(builder::Builder& b, const BuildPlan::Result& plan,
                                          EngineConnection& conn, const base::Env& env,
                                          const cli::ParsedCommand& cmd, std::ostream& err);
};

} // namespace hoist::app
