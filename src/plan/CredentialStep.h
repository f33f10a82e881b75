#pragma once

#include "buildrun/BuildRequest.h"
#include "engine/RegistryAuth.h"
#include "engine/ScopedCredentials.h"

#include <string>
#include <utility>
#include <vector>

namespace hoist::plan
{

/// docker/login-action's logins scoped to repositories, as buildx picks them for a build: per
/// registry host the build pushes to or reads a registry cache from, the login scoped to a
/// repository it pushes to there, else to one it pulls a cache from. The CI's own registry
/// (ciRegistryHost, "" none) keeps the CI's login. Pure.
std::vector<std::pair<std::string, engine::Credentials>>
scopedLogins(const buildrun::BuildRequest& request, const engine::ScopedCredentials& logins,
             const std::string& ciRegistryHost);

} // namespace hoist::plan
