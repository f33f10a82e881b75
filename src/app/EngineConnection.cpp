// This file implements a command's engine connection: the docker configuration, the resolved
// endpoint with the options' timeouts, the client, and the registry credentials with the CI's
// own login.

#include "app/EngineConnection.h"

#include "base/Error.h"

#include "engine/EndpointResolver.h"
#include "engine/Transport.h"

namespace hoist::app
{

EngineConnection::EngineConnection(const base::Env& env, const cli::CommonOptions& options)
    : _config(engine::DockerConfig::load(env))
{
    engine::Timeouts timeouts;
    if (options.engineConnectTimeout.value.totalMicroseconds() > 0)
        timeouts.connect = options.engineConnectTimeout.value;
    if (options.engineIdleTimeout.value.totalMicroseconds() > 0)
        timeouts.idle = options.engineIdleTimeout.value;
    engine::Endpoint endpoint = engine::EndpointResolver(env, _config).resolve();
    _client = std::make_unique<engine::EngineClient>(engine::Transport(endpoint, timeouts),
                                                     env.getOr("DOCKER_API_VERSION", ""));
}

const engine::DockerConfig& EngineConnection::dockerConfig() const
{
    return _config;
}

engine::RegistryAuth EngineConnection::registryAuth(const base::Env& env,
                                                    const ci::CiContext& ci) const
{
    engine::RegistryAuth auth(_config, env);
    for (const auto& login : ci.logins)
    {
        engine::Credentials c;
        c.username = login.user;
        c.password = login.password;
        c.serverAddress = login.host;
        auth.add(login.host, c);
    }
    return auth;
}

engine::EngineClient& EngineConnection::client()
{
    return *_client;
}

void EngineConnection::check(base::Problems& problems, const std::function<void()>& checks)
{
    try
    {
        checks();
    }
    catch (const base::UnavailableException&)
    {
        if (problems.empty())
            throw;
    }
}

} // namespace hoist::app
