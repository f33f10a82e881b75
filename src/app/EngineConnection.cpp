#include "app/EngineConnection.h"

#include "base/Duration.h"
#include "engine/EndpointResolver.h"

namespace hoist::app
{

EngineConnection::EngineConnection(const base::Env& env, const cli::ParsedCommand& cmd)
    : _config(engine::DockerConfig::load(env))
{
    engine::Timeouts timeouts;
    if (auto t = base::parseDuration(cmd.get("engine-connect-timeout")))
        timeouts.connect = *t;
    if (auto t = base::parseDuration(cmd.get("engine-idle-timeout")))
        timeouts.idle = *t;
    engine::Endpoint endpoint = engine::EndpointResolver(env, _config).resolve();
    _client = std::make_unique<engine::EngineClient>(engine::Transport(endpoint, timeouts),
                                                     env.getOr("DOCKER_API_VERSION", ""));
}

const engine::DockerConfig& EngineConnection::dockerConfig() const
{
    return _config;
}

engine::EngineClient& EngineConnection::client()
{
    return *_client;
}

} // namespace hoist::app
