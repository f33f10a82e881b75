#pragma once

#include "engine/EngineClient.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace hoist::engine
{

/// A path's stat as the engine reports it (X-Docker-Container-Path-Stat).
struct PathStat
{
    std::string name;
    long long size = 0;
    bool isDir = false; /// from the Go FileMode, where a directory is bit 31
    std::string linkTarget;
};

/// Copies files in and out of containers as tar streams, in constant memory
/// (PUT/GET/HEAD /containers/{id}/archive). Works on created containers that never started.
class Archive
{
public:
    /// Calls go through client.
    explicit Archive(EngineClient& client);

    /// Extracts the tar written by writeTar into the existing directory dir of container.
    /// Throws EngineApiException: 404 no such container or directory, 400 not a directory.
    void put(const std::string& container, const std::string& dir,
             const std::function<void(std::ostream&)>& writeTar);

    /// Writes path of container, as an uncompressed tar, to out.
    void get(const std::string& container, const std::string& path, std::ostream& out);

    /// Returns path's stat, or nothing when it does not exist.
    std::optional<PathStat> stat(const std::string& container, const std::string& path);

    /// Decodes the X-Docker-Container-Path-Stat header (standard base64 of JSON).
    static PathStat decodeStat(const std::string& header);

private:
    EngineClient& _client;
};

} // namespace hoist::engine
