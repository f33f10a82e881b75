#pragma once

#include "engine/EngineClient.h"
#include "engine/Types.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace hoist::engine
{

/// Engine-wide calls: version, info and network inspect.
class System
{
public:
    /// Calls go through client.
    explicit System(EngineClient& client);

    /// GET /version.
    VersionInfo version();

    /// GET /info.
    SystemInfo info();

    /// GET /version as the engine sends it.
    Poco::JSON::Object::Ptr versionRaw();

    /// GET /info as the engine sends it.
    Poco::JSON::Object::Ptr infoRaw();

    /// Returns true when the engine has a network of that name or id.
    bool hasNetwork(const std::string& name);

    /// GET /networks/{name}; nullptr when there is no such network.
    Poco::JSON::Object::Ptr networkInspect(const std::string& name);

private:
    EngineClient& _client;
};

} // namespace hoist::engine
