#pragma once

#include "engine/EngineClient.h"
#include "engine/Requests.h"
#include "engine/Types.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace hoist::engine
{

/// Container calls. Container names and ids are interchangeable where the API allows.
class Containers
{
public:
    /// Calls go through client.
    explicit Containers(EngineClient& client);

    /// POST /containers/create?name=… with config. Returns the new id. Throws
    /// EngineApiException: 404 no such image, 409 name in use.
    std::string create(const std::string& name, const ContainerCreate& config);

    /// POST /containers/{id}/start; already running is fine.
    void start(const std::string& id);

    /// GET /containers/{id}/json; nothing when there is no such container.
    std::optional<ContainerInfo> inspect(const std::string& id);

    /// GET /containers/{id}/json as the engine sends it; nullptr when there is none.
    Poco::JSON::Object::Ptr inspectRaw(const std::string& id);

    /// POST /containers/{id}/stop?t=…; already stopped or gone is fine.
    void stop(const std::string& id, int timeoutSeconds);

    /// DELETE /containers/{id}?force=…&v=…. Returns false when there was none.
    bool remove(const std::string& id, bool force, bool anonymousVolumes = false);

    /// POST /containers/{id}/wait: blocks until the container exits; returns its exit code.
    int wait(const std::string& id);

    /// GET /containers/{id}/logs: the last tail lines of stdout and stderr, interleaved.
    std::string logs(const std::string& id, int tail);

    /// GET /containers/json?all=1, filtered by "label" (key or key=value) or "name".
    std::vector<Poco::JSON::Object::Ptr> list(const std::string& filterKey = "",
                                              const std::string& filterValue = "");

private:
    EngineClient& _client;
};

} // namespace hoist::engine
