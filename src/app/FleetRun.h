#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "doctor/Doctor.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// The commands on a multi-node builder (--node, or a builder whose buildx store entry has
/// nodes: hoist's or `docker buildx create --append`'s). Each platform goes to the node that
/// pins it, else to one that runs it natively (decided before anything is made); every node
/// does its part at once on its own engine (builder buildx_buildkit_<node>), its lines
/// labelled by node; pushed legs are joined into one index under the tags. A node that fails
/// fails the command naming it, and nothing is pushed under the tags.
class FleetRun
{
public:
    /// `hoist run --node …`: every node set up, its share built, torn down.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);

    /// `hoist setup --node …`: every node's builder set up; the builder recorded in buildx's
    /// store with its nodes, as `docker buildx create --append` leaves it.
    static int setup(const cli::Options& options, const base::Env& env, report::Console& console,
                     std::ostream& out, base::Problems problems);

    /// Returns true when buildx's store (of env's docker configuration) holds builder as a
    /// docker-container builder of nodes.
    static bool holds(const base::Env& env, const std::string& builder);

    /// `hoist build` on a builder of nodes: each node's share built on its running builder.
    static int build(const cli::Options& options, const base::Env& env, report::Console& console,
                     std::ostream& err, base::Problems problems);

    /// `hoist doctor --builder NAME` of a builder of nodes: a finding a node (its engine
    /// reached, its builder running), failed ones with what the node needs.
    static std::vector<doctor::Finding> findings(const cli::Options& options, const base::Env& env);

    /// `hoist inspect` of a builder of nodes: each node's status, as a builder's.
    static int inspect(const cli::Options& options, const base::Env& env, report::Console& console);

    /// `hoist teardown` of a builder of nodes: every node's builder removed (state volumes
    /// kept as asked), then its store entry.
    static int teardown(const cli::Options& options, const base::Env& env, report::Console& console,
                        base::Problems problems);
};

} // namespace hoist::app
