#pragma once

#include "app/EngineConnection.h"
#include "app/Prepare.h"
#include "base/Env.h"
#include "base/Problem.h"
#include "builder/BuilderSpec.h"
#include "cli/Options.h"
#include "plan/NodePlan.h"
#include "plan/StatePlan.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::app::fleet
{

/// What a command does on each node of a multi-node builder.
enum class Step
{
    Run,     /// set up, build the share, tear down (hoist run)
    Setup,   /// set up (hoist setup)
    Build,   /// build the share on the running builder (hoist build)
    Teardown /// tear down (hoist teardown)
};

/// One node's part of a command.
struct Leg
{
    plan::NodeSpec node;
    base::Env env; /// the command's, reaching the node's engine
    std::unique_ptr<EngineConnection> conn;
    std::string arch;                   /// its engine's architecture
    std::vector<std::string> share;     /// the platforms it builds
    cli::Options options;               /// the command's, for this node
    builder::BuilderSpec spec;          /// its builder: container buildx_buildkit_<node>
    plan::StatePlan state;              /// where its state comes from and goes: its own
    PreparedBuild build;                /// its share's build (Run, Build)
    std::vector<std::string> platforms; /// what its builder runs, once set up
    std::string failure;                /// what went wrong, "" when it did its part
    int exitCode = 0;
};

/// Returns env reaching endpoint: a URL as DOCKER_HOST, a docker context's name as
/// DOCKER_CONTEXT; env itself for "".
base::Env envFor(const base::Env& env, const std::string& endpoint);

/// Returns a leg per node with its engine's connection and architecture, and the command's
/// options with the node's driver options after them and its own --state-from/--state-to
/// (plan::locationForNode). Throws base::UnavailableException
/// naming the node whose engine cannot be reached.
std::vector<Leg> legsOf(const cli::Options& options, const base::Env& env,
                        const std::vector<plan::NodeSpec>& nodes);

/// Gives each platform to a leg (plan::assignPlatforms); appends problems naming option.
void shareOut(std::vector<Leg>& legs, const std::vector<std::string>& platforms,
              const std::string& option, base::Problems& problems);

/// Appends a problem when the options name a driver other than docker-container for nodes.
void refuseDriver(const cli::Options& options, base::Problems& problems);

/// Appends "NAME with WITH is not supported yet" for each of sources given, with hint.
void refuseGiven(const std::vector<const cli::Source*>& sources, const std::string& with,
                 const std::string& hint, base::Problems& problems);

/// Appends what a build on nodes cannot do yet, naming the options given.
void refuseUnsupported(const cli::Options& options, const PreparedBuild& whole,
                       base::Problems& problems);

/// Returns the one output of whole written on this machine or loaded into its engine (local,
/// oci, docker, --load), or nullptr.
const buildrun::Output* localOutput(const PreparedBuild& whole);

/// Returns true for an annotation of the index or its descriptors (index:, index-descriptor:,
/// manifest-descriptor:), the merge's; the others are each image's.
bool indexLevel(const std::string& annotation);

/// Returns where leg's part of an OCI archive output goes before the parts are joined: in the
/// directory "<digests>.parts", which the caller makes and removes.
std::string ociPart(const Leg& leg, const std::string& digests);

/// Returns where leg's docker archive goes before it is loaded into the command's engine
/// (--load): in the directory "<digests>.parts", as ociPart.
std::string dockerPart(const Leg& leg, const std::string& digests);

/// Returns leg's options for its share's build: pushed by digest into repository and recorded
/// in digests when the command pushes; its part of whole's local output.
cli::Options legOptions(const cli::Options& options, const Leg& leg, const PreparedBuild& whole,
                        const std::string& repository, const std::string& digests);

/// Runs step on every leg at once, each on a thread, its lines on err labelled by node; then
/// throws naming each node that failed, as the exception of the worst failure.
void runLegs(std::vector<Leg>& legs, Step step, std::ostream& err);

} // namespace hoist::app::fleet
