// This file implements the engine's volume calls: create, inspect, list, remove, and a volume's
// size from /system/df.

#include "engine/Volumes.h"

#include "engine/Codec.h"

#include "engine/EngineError.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace hoist::engine
{

Volumes::Volumes(EngineClient& client) : _client(client) {}

VolumeInfo Volumes::create(const std::string& name,
                           const std::map<std::string, std::string>& labels)
{
    Poco::JSON::Object body;
    body.set("Name", name);
    body.set("Driver", "local");
    Poco::JSON::Object l;
    for (const auto& [k, v] : labels)
        l.set(k, v);
    body.set("Labels", l);
    std::ostringstream out;
    body.stringify(out);
    Request r;
    r.method = "POST";
    r.path = "/volumes/create";
    r.body = out.str();
    return Codec::volume(_client.send(r).json());
}

Poco::JSON::Object::Ptr Volumes::inspectRaw(const std::string& name)
{
    Request r;
    r.path = "/volumes/" + queryEscape(name);
    r.idempotent = true;
    return _client.findJson(r);
}

std::optional<VolumeInfo> Volumes::inspect(const std::string& name)
{
    auto json = inspectRaw(name);
    if (!json)
        return std::nullopt;
    return Codec::volume(json);
}

std::vector<Poco::JSON::Object::Ptr> Volumes::list(const std::string& labelFilter)
{
    Request r;
    r.path = "/volumes";
    if (!labelFilter.empty())
        r.path += "?" + filtersQuery("label", labelFilter);
    r.idempotent = true;
    std::vector<Poco::JSON::Object::Ptr> out;
    auto volumes = _client.send(r).json()->getArray("Volumes");
    for (std::size_t i = 0; volumes && i < volumes->size(); ++i)
        out.push_back(volumes->getObject(static_cast<unsigned>(i)));
    return out;
}

bool Volumes::remove(const std::string& name, bool force)
{
    Request r;
    r.method = "DELETE";
    r.path = "/volumes/" + queryEscape(name) + (force ? "?force=1" : "");
    return _client.sendUnlessMissing(r);
}

long long Volumes::size(const std::string& name)
{
    Request r;
    r.path = "/system/df";
    r.idempotent = true;
    auto volumes = _client.send(r).json()->getArray("Volumes");
    for (std::size_t i = 0; volumes && i < volumes->size(); ++i)
    {
        auto v = volumes->getObject(static_cast<unsigned>(i));
        if (v->getValue<std::string>("Name") != name)
            continue;
        auto usage = v->getObject("UsageData");
        return usage && usage->has("Size") ? usage->getValue<long long>("Size") : -1;
    }
    return -1;
}

} // namespace hoist::engine
