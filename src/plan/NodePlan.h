#pragma once

#include "base/Problem.h"
#include "cli/Options.h"

#include <string>
#include <vector>

namespace hoist::plan
{

/// One node of a multi-node builder, as --node gives it (buildx's create --append).
struct NodeSpec
{
    std::string name;                    /// buildx's node name: container buildx_buildkit_<name>
    std::string endpoint;                /// DOCKER_HOST form; "" for the engine hoist uses
    std::vector<std::string> platforms;  /// pinned, normalized (os/arch[/variant])
    std::vector<std::string> driverOpts; /// K=V, as --driver-opt takes them
};

/// What one node builds without help: its pinned platforms and its engine's architecture (as
/// the Engine API's /version gives it: amd64, arm64, …).
struct NodeReach
{
    std::vector<std::string> pinned;
    std::string arch;
};

/// Reads each --node value: comma-separated KEY=VALUE fields as buildx reads --output (a field
/// holding commas in double quotes): name, endpoint, platform (a list; repeatable),
/// driver-opt (repeatable). Appends problems naming the option as given.
std::vector<NodeSpec> planNodes(const cli::Texts& nodes, base::Problems& problems);

/// Names each node without a name as buildx does: the builder's name, lower-cased, and the
/// node's index (the first is NAME0, the builder's own); appends a problem for two nodes of
/// one name, naming option.
void nameNodes(std::vector<NodeSpec>& nodes, const std::string& builder, const std::string& option,
               base::Problems& problems);

/// Returns a --cache-from/--cache-to or --state-from/--state-to value (CSV, as given) made the
/// node's own, so nodes that build at once never write one cache or state: a gha scope and a
/// registry ref's tag get "-NODE" (a ref without a tag gets the tag NODE; one by digest stays),
/// a local src/dest the subdirectory NODE; others as given.
std::string locationForNode(const std::string& value, const std::string& node);

/// Gives each platform the node that builds it: the first node that pins it, else the first
/// whose CPU runs it natively (an amd64 node runs 386, an arm64 node arm/v7 and v6). A platform
/// no node pins or runs natively is a problem naming option: emulation is chosen by pinning.
/// Returns a node index per platform (-1 for one with a problem).
std::vector<int> assignPlatforms(const std::vector<std::string>& platforms,
                                 const std::vector<NodeReach>& nodes, const std::string& option,
                                 base::Problems& problems);

} // namespace hoist::plan
