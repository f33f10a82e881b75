#pragma once

#include "engine/SecurityMode.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist::builder
{

using engine::SecurityMode;

/// Whether a builder's container runs, as buildx names it.
enum class BuilderState
{
    Inactive, /// no container
    Running,
    Stopped
};

/// Returns buildx's word for state: "inactive", "running", "stopped".
const char* stateName(BuilderState state);

/// What a builder is like now, as `hoist inspect` reports it.
struct BuilderStatus
{
    std::string name;
    std::string driver = "docker-container"; /// or "remote" (a daemon hoist does not run)
    std::string endpoint;                    /// a remote builder's daemon address
    std::string container;
    BuilderState state = BuilderState::Inactive;
    std::string image;
    std::string buildkitVersion;        /// e.g. "v0.32.2", when running
    std::vector<std::string> platforms; /// the workers' platforms, when running
    /// How the container runs; none for a container not privileged that hoist did not make.
    std::optional<SecurityMode> security;
    std::string createdBy; /// "hoist 0.1.0", or "not hoist (docker buildx?)"
    std::string session;
    std::string driverOpts; /// as JSON
    std::string volume;
    bool volumeExists = false;
    long long volumeSize = -1; /// bytes, -1 when unknown
};

/// What setup did with the builder's container.
enum class SetupAction
{
    Created,
    Reused,
    Started,
    Recreated
};

/// Returns the word for action: "created", "reused", "started", "recreated".
const char* actionName(SetupAction action);

/// What setup did.
struct SetupResult
{
    BuilderStatus status;
    SetupAction action = SetupAction::Created;
    bool warmState = false; /// the state volume existed before (a kept cache)
    SecurityMode mode = SecurityMode::Privileged;
};

/// What teardown did.
struct TeardownResult
{
    std::vector<std::string> heldBy; /// jobs whose builds hold the builder: left running for them
    bool removedContainer = false;
    bool removedVolume = false;
    bool keptVolume = false;
    long long volumeSize = -1;
    bool stateSaved = false; /// the StateSave hooks ran
};

/// Returns how the builder's container runs: "privileged", "capabilities", "rootless", or
/// "unprivileged" (a container hoist did not make, not privileged).
std::string securityName(const BuilderStatus& status);

/// Parses `buildctl debug workers` output: the platforms of every worker, deduplicated in order.
std::vector<std::string> parseWorkerPlatforms(const std::string& output);

/// Parses `buildkitd --version` output ("buildkitd github.com/moby/buildkit v0.32.2 <rev>"):
/// the version, or "" when the output has another form.
std::string parseBuildkitVersion(const std::string& output);

} // namespace hoist::builder
