#pragma once

#include "engine/EngineClient.h"

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

    /// GET /version: Version, ApiVersion, MinAPIVersion, Os, Arch, KernelVersion…
    Poco::JSON::Object::Ptr version();

    /// GET /info: CgroupDriver, CgroupVersion, Driver, DockerRootDir, SecurityOptions…
    Poco::JSON::Object::Ptr info();

    /// GET /networks/{name}; nullptr when there is no such network.
    Poco::JSON::Object::Ptr networkInspect(const std::string& name);

private:
    EngineClient& _client;
};

} // namespace hoist::engine
