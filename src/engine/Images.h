#pragma once

#include "engine/EngineClient.h"
#include "engine/JsonMessageStream.h"
#include "engine/Types.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <ostream>
#include <string>

namespace hoist::engine
{

/// Image calls.
class Images
{
public:
    using Progress = std::function<void(const JsonMessage&)>;

    /// Calls go through client.
    explicit Images(EngineClient& client);

    /// GET /images/{ref}/json; nothing when the engine does not have it.
    std::optional<ImageInfo> inspect(const std::string& ref);

    /// GET /images/{ref}/json as the engine sends it; nullptr when it does not have it.
    Poco::JSON::Object::Ptr inspectRaw(const std::string& ref);

    /// POST /images/create: pulls ref (tag "latest" when it has none, never every tag) for
    /// platform ("" for the engine's), authenticated by registryAuth (the X-Registry-Auth
    /// value, "" for anonymous). Progress goes to progress. Throws EngineApiException, also
    /// for an error the engine reports after it started streaming.
    void pull(const std::string& ref, const std::string& platform, const std::string& registryAuth,
              const Progress& progress);

    /// POST /images/load?quiet=0: the tar written by writeTar. Returns the loaded image
    /// names or ids ("Loaded image: …"). Throws EngineApiException (errors come in-stream).
    std::vector<std::string> load(const std::function<void(std::ostream&)>& writeTar,
                                  const Progress& progress);

    /// DELETE /images/{ref}. Returns false when there was none.
    bool remove(const std::string& ref, bool force);

private:
    EngineClient& _client;
};

} // namespace hoist::engine
