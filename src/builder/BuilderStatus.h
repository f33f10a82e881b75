#pragma once

#include "engine/SecurityMode.h"

#include <map>
#include <string>
#include <vector>

namespace hoist::builder
{

using engine::SecurityMode;

/// What a builder is like now, as `hoist inspect` reports it.
struct BuilderStatus
{
    std::string name;
    std::string container;
    std::string status =
        "inactive"; /// "running", "stopped" or "inactive" (no container), as buildx
    std::string image;
    std::string buildkitVersion;        /// e.g. "v0.32.2", when running
    std::vector<std::string> platforms; /// the workers' platforms, when running
    std::string security;               /// "privileged", "capabilities" or "rootless"
    std::string createdBy;              /// "hoist 0.1.0", or "not hoist (docker buildx?)"
    std::string session;
    std::string driverOpts; /// as JSON
    std::string volume;
    bool volumeExists = false;
    long long volumeSize = -1; /// bytes, -1 when unknown
};

/// Parses `buildctl debug workers` output: the platforms of every worker, deduplicated in order.
std::vector<std::string> parseWorkerPlatforms(const std::string& output);

/// Parses `buildkitd --version` output ("buildkitd github.com/moby/buildkit v0.32.2 <rev>"):
/// the version, or "" when the output has another form.
std::string parseBuildkitVersion(const std::string& output);

} // namespace hoist::builder
