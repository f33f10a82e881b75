#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <ostream>

namespace hoist::app
{

/// `hoist run --node …`: a build on a multi-node builder. Each platform goes to the node that
/// pins it, else to one that runs it natively (decided before anything is made); every node
/// with a share sets up its builder (buildx_buildkit_<node> on its own engine), builds its
/// platforms and pushes them by digest, all at once, its lines labelled by node; the legs are
/// then joined into one index under the tags. A node that fails fails the run naming it, and
/// nothing is pushed under the tags. Every node's builder is torn down (keeping its state
/// volume with --keep-state).
class FleetRun
{
public:
    /// Runs the command with the typed options; problems holds what parsing found. Returns
    /// the exit code; throws hoist's exceptions for App to report.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);
};

} // namespace hoist::app
