#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "engine/DockerConfig.h"
#include "engine/EngineClient.h"
#include "engine/RegistryAuth.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hoist::app
{

/// The engine a command talks to, wired from the environment and the command's options:
/// the docker configuration, the resolved endpoint, the timeouts and the client.
class EngineConnection
{
public:
    /// Resolves the endpoint (DOCKER_HOST, context, default socket) and makes a client with
    /// the options' timeouts; connects nothing yet. Throws base::ConfigException /
    /// NotSupportedYetException from endpoint resolution.
    EngineConnection(const base::Env& env, const cli::CommonOptions& options);

    /// Returns the docker configuration (auths, helpers, contexts).
    const engine::DockerConfig& dockerConfig() const;

    /// Returns the client.
    engine::EngineClient& client();

    /// Returns registry credentials as the docker CLI finds them, plus the CI's own registry
    /// login (which wins for its host).
    engine::RegistryAuth registryAuth(const base::Env& env, const ci::CiContext& ci) const;

    /// Runs checks of the engine that append to problems, before anything is made. When the
    /// engine cannot be reached and problems already holds some, those are what the user
    /// needs first: the engine error is dropped. Otherwise it is thrown.
    void check(base::Problems& problems, const std::function<void()>& checks);

private:
    engine::DockerConfig _config;
    std::unique_ptr<engine::EngineClient> _client;
};

} // namespace hoist::app
