// This file implements the engine's container calls: create, start, inspect, stop, remove
// (waiting out one already in progress), wait, logs and list.

#include "engine/Containers.h"

#include "engine/Codec.h"

#include "engine/EngineError.h"
#include "engine/FrameDemuxer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Thread.h>

#include <sstream>

namespace hoist::engine
{

Containers::Containers(EngineClient& client) : _client(client) {}

std::string Containers::create(const std::string& name, const ContainerCreate& config)
{
    std::ostringstream body;
    Codec::encode(config)->stringify(body);
    Request r;
    r.method = "POST";
    r.path = "/containers/create?name=" + queryEscape(name);
    r.body = body.str();
    return _client.send(r).json()->getValue<std::string>("Id");
}

void Containers::start(const std::string& id)
{
    Request r;
    r.method = "POST";
    r.path = "/containers/" + queryEscape(id) + "/start";
    _client.send(r); // 304 "already started" is not an error
}

Poco::JSON::Object::Ptr Containers::inspectRaw(const std::string& id)
{
    Request r;
    r.path = "/containers/" + queryEscape(id) + "/json";
    r.idempotent = true;
    return _client.findJson(r);
}

std::optional<ContainerInfo> Containers::inspect(const std::string& id)
{
    auto json = inspectRaw(id);
    if (!json)
        return std::nullopt;
    return Codec::container(json);
}

void Containers::stop(const std::string& id, int timeoutSeconds)
{
    Request r;
    r.method = "POST";
    r.path = "/containers/" + queryEscape(id) + "/stop?t=" + std::to_string(timeoutSeconds);
    try
    {
        _client.send(r);
    }
    catch (const EngineApiException& e)
    {
        if (e.status() != 404)
            throw;
    }
}

bool Containers::remove(const std::string& id, bool force, bool anonymousVolumes)
{
    Request r;
    r.method = "DELETE";
    r.path = "/containers/" + queryEscape(id) + "?force=" + (force ? "1" : "0") +
             "&v=" + (anonymousVolumes ? "1" : "0");
    try
    {
        return _client.sendUnlessMissing(r);
    }
    catch (const EngineApiException& e)
    {
        // A removal the engine already runs (asked by a process killed since) finishes on its
        // own: wait for it rather than fail.
        if (e.status() != 409 || e.engineMessage().find("already in progress") == std::string::npos)
            throw;
    }
    for (int i = 0; i < 300 && inspectRaw(id); ++i)
        Poco::Thread::sleep(100);
    if (inspectRaw(id))
        throw EngineApiException("DELETE " + r.path, 409,
                                 "removal of container " + id + " did not finish in 30 s");
    return true;
}

int Containers::wait(const std::string& id)
{
    Request r;
    r.method = "POST";
    r.path = "/containers/" + queryEscape(id) + "/wait";
    return _client.send(r).json()->getValue<int>("StatusCode");
}

std::string Containers::logs(const std::string& id, int tail)
{
    auto info = inspectRaw(id);
    bool tty = info && info->getObject("Config") && info->getObject("Config")->has("Tty") &&
               info->getObject("Config")->getValue<bool>("Tty");
    Request r;
    r.path =
        "/containers/" + queryEscape(id) + "/logs?stdout=1&stderr=1&tail=" + std::to_string(tail);
    r.idempotent = true;
    std::string raw = _client.send(r).body;
    if (tty)
        return raw;
    std::string text;
    FrameDemuxer demux([&](int, const char* data, std::size_t size) { text.append(data, size); });
    demux.feed(raw.data(), raw.size());
    return text;
}

std::vector<Poco::JSON::Object::Ptr> Containers::list(const std::string& filterKey,
                                                      const std::string& filterValue)
{
    Request r;
    r.path = "/containers/json?all=1";
    if (!filterKey.empty())
        r.path += "&" + filtersQuery(filterKey, filterValue);
    r.idempotent = true;
    Response resp = _client.send(r);
    std::vector<Poco::JSON::Object::Ptr> out;
    Poco::JSON::Array::Ptr arr =
        Poco::JSON::Parser().parse(resp.body).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; arr && i < arr->size(); ++i)
        out.push_back(arr->getObject(static_cast<unsigned>(i)));
    return out;
}

} // namespace hoist::engine
