// This file implements the engine's image calls: inspect, pull (with progress and registry
// auth), load from a tar stream, and remove.

#include "engine/Images.h"

#include "engine/Codec.h"

#include "base/Strings.h"
#include "engine/EngineError.h"
#include "engine/ImageRef.h"

#include <Poco/String.h>

namespace hoist::engine
{

Images::Images(EngineClient& client) : _client(client) {}

Poco::JSON::Object::Ptr Images::inspectRaw(const std::string& ref)
{
    Request r;
    r.path = "/images/" + refPathEscape(ref) + "/json";
    r.idempotent = true;
    return _client.findJson(r);
}

std::optional<ImageInfo> Images::inspect(const std::string& ref)
{
    auto json = inspectRaw(ref);
    if (!json)
        return std::nullopt;
    return Codec::image(json);
}

void Images::pull(const std::string& ref, const std::string& platform,
                  const std::string& registryAuth, const Progress& progress)
{
    ImageRef parsed = ImageRef::parse(ref);
    Request r;
    r.method = "POST";
    r.path = "/images/create?fromImage=" + queryEscape(parsed.name) +
             "&tag=" + queryEscape(parsed.digest.empty() ? parsed.tag : parsed.digest);
    if (!platform.empty())
        r.path += "&platform=" + queryEscape(Poco::toLower(platform));
    if (!registryAuth.empty())
        r.headers["X-Registry-Auth"] = registryAuth;
    const std::string what = "pull of " + base::quoted(ref);
    _client.stream(r, nullptr,
                   [&](std::istream& in)
                   {
                       JsonMessageStream::read(in, what,
                                               [&](const JsonMessage& m)
                                               {
                                                   if (progress)
                                                       progress(m);
                                               });
                   });
}

std::vector<std::string> Images::load(const std::function<void(std::ostream&)>& writeTar,
                                      const Progress& progress)
{
    Request r;
    r.method = "POST";
    // quiet defaults to true when absent, whatever the API documentation says.
    r.path = "/images/load?quiet=0";
    std::vector<std::string> loaded;
    _client.stream(r, writeTar,
                   [&](std::istream& in)
                   {
                       JsonMessageStream::read(
                           in, "image load",
                           [&](const JsonMessage& m)
                           {
                               for (const char* prefix : {"Loaded image: ", "Loaded image ID: "})
                               {
                                   if (base::startsWith(m.stream, prefix))
                                       loaded.push_back(
                                           Poco::trim(m.stream.substr(std::string(prefix).size())));
                               }
                               if (progress)
                                   progress(m);
                           });
                   });
    return loaded;
}

bool Images::remove(const std::string& ref, bool force)
{
    Request r;
    r.method = "DELETE";
    r.path = "/images/" + refPathEscape(ref) + (force ? "?force=1" : "");
    return _client.sendUnlessMissing(r);
}

} // namespace hoist::engine
