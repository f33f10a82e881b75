// This file composes the build plan from its steps (plan/*Step.cpp).

#include "plan/BuildPlan.h"

namespace hoist::plan
{

BuildPlan planBuild(const cli::BuildOptions& options, const ci::CiContext& ci, const base::Env& env,
                    const FileView& files, base::Problems& problems)
{
    BuildPlan p;
    steps::context(options, ci, files, p, problems);
    steps::inputs(options, env, p, problems);
    steps::runSettings(options, p, problems);
    steps::ciTagsAndLabels(options, ci, p);
    const bool rewriteTimestamps = steps::sourceDateEpoch(options, ci, p, problems);
    steps::outputs(options, files, rewriteTimestamps, p, problems);
    steps::caches(options, ci, files, p, problems);
    steps::secrets(options, ci, env, files, p, problems);
    steps::ssh(options, env, files, p, problems);
    steps::attestations(options, ci, env, p, problems);
    steps::settings(options, ci, files, p, problems);
    steps::buildxEnvironment(env, p, problems);
    if (!p.request.call.empty())
    {
        // A check, outline or targets request exports nothing, as in buildx.
        p.request.outputs.clear();
        p.request.cacheTo.clear();
    }
    return p;
}

} // namespace hoist::plan
