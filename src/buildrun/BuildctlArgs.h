#pragma once

#include "buildrun/BuildRequest.h"

#include <string>
#include <vector>

namespace hoist::buildrun
{

/// Turns a build request into buildctl's argv and environment, for buildctl running inside
/// the builder with the uploaded files under workDir (reference §3.2): the context and
/// Dockerfile as locals, options as frontend opts, outputs, caches and secrets. Pure.
class BuildctlArgs
{
public:
    /// Returns the argv of `buildctl build` for request, its files under workDir.
    static std::vector<std::string> argv(const BuildRequest& request, const std::string& workDir);

    /// Returns the exec environment: each secret as SECRET_<n> and the gha caches' token as
    /// ACTIONS_RUNTIME_TOKEN (never argv or files), and DOCKER_CONFIG pointing at configDir,
    /// the build's private registry config.
    static std::vector<std::string> env(const BuildRequest& request, const std::string& configDir);

    /// Returns where buildctl writes output n inside the builder ("" for image outputs).
    static std::string remoteDest(const Output& output, std::size_t n, const std::string& workDir);

    /// Returns an attribute list as buildctl's CSV ("k=v,k2=v2"), quoting fields that need it.
    static std::string csv(const Attrs& attrs);
};

} // namespace hoist::buildrun
