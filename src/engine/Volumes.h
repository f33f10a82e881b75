#pragma once

#include "engine/EngineClient.h"
#include "engine/Types.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace hoist::engine
{

/// Volume calls.
class Volumes
{
public:
    /// Calls go through client.
    explicit Volumes(EngineClient& client);

    /// POST /volumes/create with the local driver; an existing volume of that name is
    /// returned as it is (the engine's rule). Returns the volume.
    VolumeInfo create(const std::string& name, const std::map<std::string, std::string>& labels);

    /// GET /volumes/{name}; nothing when there is none.
    std::optional<VolumeInfo> inspect(const std::string& name);

    /// GET /volumes/{name} as the engine sends it; nullptr when there is none.
    Poco::JSON::Object::Ptr inspectRaw(const std::string& name);

    /// GET /volumes, filtered by label ("key" or "key=value") when given.
    std::vector<Poco::JSON::Object::Ptr> list(const std::string& labelFilter = "");

    /// DELETE /volumes/{name}. Returns false when there was none. Throws EngineApiException
    /// (409) when a container still uses it.
    bool remove(const std::string& name, bool force = false);

    /// Returns the size in bytes of the volume from GET /system/df, or -1 when the engine
    /// does not know it.
    long long size(const std::string& name);

private:
    EngineClient& _client;
};

} // namespace hoist::engine
