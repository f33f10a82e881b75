#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoist::buildrun
{

/// One exporter of the build: buildctl's type and attributes, in the order given.
struct Output
{
    std::string type; /// image, docker, oci, local, tar (buildx's "registry" is image with push)
    std::vector<std::pair<std::string, std::string>> attrs;
    std::string hostDest; /// local/tar/oci/docker: where the result lands on this machine ("" none)

    /// Returns the attribute's value, or "".
    std::string attr(const std::string& key) const;
};

/// A build secret: its value is read on this machine and reaches buildctl only through the
/// exec environment.
struct Secret
{
    std::string id;
    std::string value;
};

/// Everything a build needs, resolved from options, files and the CI context; no I/O.
struct BuildRequest
{
    std::string contextDir;     /// on this machine
    std::string dockerfileDir;  /// on this machine; == contextDir when the Dockerfile is inside it
    std::string dockerfileName; /// relative to dockerfileDir
    std::string target;
    std::vector<std::string> platforms;
    std::vector<std::pair<std::string, std::string>> buildArgs;
    std::vector<std::pair<std::string, std::string>> labels;
    std::vector<std::pair<std::string, std::string>> annotations;
    std::vector<std::string> tags;
    std::vector<Output> outputs;
    std::vector<Output> cacheFrom; /// --import-cache; type=local keeps its host dir in hostDest
    std::vector<Output> cacheTo;   /// --export-cache; type=local keeps its host dir in hostDest
    std::vector<Secret> secrets;
    std::string ghaToken; /// the type=gha caches' token: buildctl reads ACTIONS_RUNTIME_TOKEN
    std::optional<std::string> provenance; /// the attest:provenance value; none: not requested
    std::optional<std::string> sbom;       /// the attest:sbom value; none: not requested
    bool noCache = false;
    bool pull = false;
    std::vector<std::pair<std::string, std::string>> addHosts; /// host, ip
    std::string network;                                       /// "", "none" or "host"
    std::vector<std::pair<std::string, std::string>>
        namedContexts; /// name → host dir or docker-image://
    std::string metadataFile;
    std::string iidFile;
    std::vector<std::string> registryHosts; /// registries the build pushes to or pulls from
};

} // namespace hoist::buildrun
