#include "engine/System.h"

#include "engine/EngineError.h"

namespace hoist::engine
{

System::System(EngineClient& client) : _client(client) {}

Poco::JSON::Object::Ptr System::version()
{
    Request r;
    r.path = "/version";
    r.idempotent = true;
    return _client.send(r).json();
}

Poco::JSON::Object::Ptr System::info()
{
    Request r;
    r.path = "/info";
    r.idempotent = true;
    return _client.send(r).json();
}

Poco::JSON::Object::Ptr System::networkInspect(const std::string& name)
{
    Request r;
    r.path = "/networks/" + queryEscape(name);
    r.idempotent = true;
    return _client.findJson(r);
}

} // namespace hoist::engine
