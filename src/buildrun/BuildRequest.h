#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoist::buildrun
{

/// Attributes of an exporter or cache, in the order given.
using Attrs = std::vector<std::pair<std::string, std::string>>;

/// buildctl's exporters (buildx's "registry" is an image with push=true).
enum class OutputType
{
    Image,
    Docker,
    Oci,
    Local,
    Tar
};

/// BuildKit's cache backends hoist passes on.
enum class CacheType
{
    Registry,
    Local,
    Inline,
    Gha,
    S3,
    Azblob
};

/// Returns buildctl's name of the type ("image", "local", …).
const char* typeName(OutputType type);
/// Returns buildctl's name of the type ("registry", "gha", …).
const char* typeName(CacheType type);

/// One exporter of the build.
struct Output
{
    OutputType type = OutputType::Image;
    Attrs attrs;
    std::string hostDest; /// local/tar/oci/docker: where the result lands on this machine ("" none)

    /// Returns the attribute's value, or "".
    std::string attr(const std::string& key) const;

    /// Returns true for the types that make an image (image, docker, oci).
    bool makesImage() const;
};

/// One cache to import or export.
struct Cache
{
    CacheType type = CacheType::Registry;
    Attrs attrs;
    std::string hostDest; /// type=local: its directory on this machine

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

/// An ssh forwarding for RUN --mount=type=ssh: an agent's socket on this machine, carried
/// into the builder, or private keys, handed to buildctl in memory.
struct Ssh
{
    std::string id;                /// "default" or the id RUN names
    std::string agentSocket;       /// an agent's socket on this machine, or ""
    std::vector<std::string> keys; /// private keys (PEM), read on this machine
};

/// Everything a build needs, resolved from options, files and the CI context.
struct BuildRequest
{
    std::string contextDir; /// on this machine; "" for a remote context
    /// this machine's build node identifier: with a local directory's path it keys BuildKit's
    /// copy of that directory (BuildctlArgs::syncKey)
    std::string nodeId;
    /// per local directory sent (the context, named contexts): the digest of its files whose
    /// mtimes are whole seconds, when it has any (BuildctlArgs::syncKey)
    std::map<std::string, std::string> wholeSecondDigests;
    std::string remoteContext;  /// a git or https URL BuildKit fetches; "" for a local one
    std::string dockerfileDir;  /// on this machine; "" when it is in a remote context
    std::string dockerfileName; /// relative to dockerfileDir, or its path in the remote context
    std::string target;
    std::vector<std::string> platforms;
    std::vector<std::pair<std::string, std::string>> buildArgs;
    std::vector<std::pair<std::string, std::string>> labels;
    /// annotations as the image exporters' attributes: "annotation-index.KEY", "annotation.KEY"
    std::vector<std::pair<std::string, std::string>> annotations;
    std::vector<std::string> tags;
    std::vector<Output> outputs;
    std::vector<Cache> cacheFrom; /// --import-cache
    std::vector<Cache> cacheTo;   /// --export-cache
    std::vector<Secret> secrets;
    std::vector<Ssh> ssh;
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
    bool metadataWarnings = false; /// BUILDX_METADATA_WARNINGS: the warnings in the metadata too
    std::string iidFile;
    std::vector<std::string> registryHosts; /// registries the build pushes to or pulls from
    std::vector<std::string> allow;         /// entitlements, as buildctl --allow takes them
    long long shmSize = 0;                  /// bytes; 0: BuildKit's default
    std::vector<std::string> ulimits;       /// "nofile=1024:2048"
    /// limits of each RUN step's container as the frontend's attributes ("memory" → bytes)
    std::map<std::string, std::string> resources;
    std::string cgroupParent;
    std::vector<std::string> noCacheFilter; /// stages built without the cache
    std::string call;       /// "" to build; else the frontend's request: lint, outline, targets
    std::string byDigest;   /// the repository an image pushed by digest goes to, or ""
    std::string digestsDir; /// where byDigest@DIGEST is recorded, or ""
};

/// Returns true when a named context's value is a directory on this machine (not an image, a
/// URL or a git address).
bool isLocalDir(const std::string& namedContext);

/// Returns the key of a leg's platforms in file and variable names: "linux-arm64-v8" for
/// linux/arm64/v8, several joined by "_"; "" for none.
std::string platformKey(const std::vector<std::string>& platforms);

} // namespace hoist::buildrun
