// This file implements the engine-wide calls: version, info and network inspect.

#include "engine/System.h"

#include "engine/Codec.h"

#include "engine/EngineError.h"

namespace hoist::engine
{

System::System(EngineClient& client) : _client(client) {}

VersionInfo System::version()
{
    return Codec::version(versionRaw());
}

SystemInfo System::info()
{
    return Codec::system(infoRaw());
}

Poco::JSON::Object::Ptr System::versionRaw()
{
    Request r;
    r.path = "/version";
    r.idempotent = true;
    return _client.send(r).json();
}

Poco::JSON::Object::Ptr System::infoRaw()
{
    Request r;
    r.path = "/info";
    r.idempotent = true;
    return _client.send(r).json();
}

bool System::hasNetwork(const std::string& name)
{
    return networkInspect(name) != nullptr;
}

Poco::JSON::Object::Ptr System::networkInspect(const std::string& name)
{
    Request r;
    r.path = "/networks/" + queryEscape(name);
    r.idempotent = true;
    return _client.findJson(r);
}

} // namespace hoist::engine
