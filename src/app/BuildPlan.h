#pragma once

#include "base/Env.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/ContextTar.h"
#include "ci/CiContext.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// Turns `hoist build` options, local files and the CI context into a build request, with
/// buildx's meanings (--push, --load, type=registry, gha cache from the CI, provenance as
/// docker/build-push-action sets it). Checks everything and appends every problem.
class BuildPlan
{
public:
    /// The request and the scanned context.
    struct Result
    {
        buildrun::BuildRequest request;
        buildrun::ContextTar context;
        std::vector<std::string> warnings;
        std::vector<std::string> ciDefaults; /// what the CI defaults added, for plan and the log

        /// Says the warnings and the CI defaults on console.
        void tell(report::Console& console) const;
    };

    /// Returns the plan for cmd; appends problems (options, missing files, unreadable context
    /// entries, secrets that cannot be read).
    static Result make(const cli::ParsedCommand& cmd, const ci::CiContext& ci, const base::Env& env,
                       std::vector<std::string>& problems);
};

} // namespace hoist::app
