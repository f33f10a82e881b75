// This file implements the engine's archive calls: tar streams put into and read out of a
// container, and a path's stat decoded from the X-Docker-Container-Path-Stat header.

#include "engine/Archive.h"

#include "engine/EngineError.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <limits>
#include <sstream>

namespace hoist::engine
{

Archive::Archive(EngineClient& client) : _client(client) {}

void Archive::put(const std::string& container, const std::string& dir,
                  const std::function<void(std::ostream&)>& writeTar)
{
    Request r;
    r.method = "PUT";
    r.path = "/containers/" + queryEscape(container) + "/archive?path=" + queryEscape(dir);
    _client.stream(r, writeTar,
                   [](std::istream& in)
                   { in.ignore(std::numeric_limits<std::streamsize>::max()); });
}

void Archive::get(const std::string& container, const std::string& path, std::ostream& out)
{
    Request r;
    r.path = "/containers/" + queryEscape(container) + "/archive?path=" + queryEscape(path);
    // No Accept-Encoding: the engine would compress the tar.
    _client.stream(r, nullptr,
                   [&](std::istream& in) { Poco::StreamCopier::copyStream(in, out, 64 * 1024); });
}

std::optional<PathStat> Archive::stat(const std::string& container, const std::string& path)
{
    Request r;
    r.method = "HEAD";
    r.path = "/containers/" + queryEscape(container) + "/archive?path=" + queryEscape(path);
    r.idempotent = true;
    try
    {
        Response resp = _client.send(r);
        auto it = resp.headers.find("X-Docker-Container-Path-Stat");
        if (it == resp.headers.end())
            return std::nullopt;
        return decodeStat(it->second);
    }
    catch (const EngineApiException& e)
    {
        if (e.status() == 404)
            return std::nullopt;
        throw;
    }
}

PathStat Archive::decodeStat(const std::string& header)
{
    std::istringstream src(header);
    Poco::Base64Decoder decoder(src);
    std::string json;
    Poco::StreamCopier::copyToString(decoder, json);
    auto obj = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    PathStat s;
    s.name = obj->optValue<std::string>("name", "");
    s.size = obj->optValue<long long>("size", 0);
    unsigned long long mode = obj->optValue<unsigned long long>("mode", 0);
    s.isDir = (mode & (1ULL << 31)) != 0;
    s.linkTarget = obj->optValue<std::string>("linkTarget", "");
    return s;
}

} // namespace hoist::engine
