#pragma once

#include "builder/BuilderSpec.h"
#include "builder/RemoteSpec.h"

#include <optional>
#include <vector>

#include <string>

namespace hoist::builder
{

/// buildx's builder store: the instance file that lets
/// `docker buildx build --builder NAME` use a builder hoist made, written as buildx writes it
/// (under the store's flock, atomically, mode 0600), and removed with it.
class BuildxStore
{
public:
    /// A store at dir: $BUILDX_CONFIG, else <docker config dir>/buildx.
    explicit BuildxStore(std::string dir);

    /// Writes instances/<name> and activity/<name> for spec's builder on endpoint (a docker
    /// context name or host URL). Throws Poco::FileException when the store is not writable.
    void save(const BuilderSpec& spec, const std::string& endpoint) const;

    /// A node of a builder, as saveNodes writes it.
    struct Node
    {
        BuilderSpec spec;                   /// its container (nodeName), options, flags, files
        std::string endpoint;               /// its engine, a docker context name or host URL
        std::vector<std::string> platforms; /// pinned (os/arch[/variant])
    };

    /// Writes instances/<name> and activity/<name> for a docker-container builder of nodes,
    /// as `docker buildx create --append` leaves it. Throws Poco::FileException.
    void saveNodes(const std::string& name, const std::vector<Node>& nodes) const;

    /// A docker-container builder's node as the store holds it (hoist's or buildx's).
    struct StoredNode
    {
        std::string name;                    /// its container is buildx_buildkit_<name>
        std::string endpoint;                /// a docker context name or host URL
        std::vector<std::string> platforms;  /// pinned
        std::vector<std::string> driverOpts; /// K=V, in double quotes when V holds a comma
        std::string buildkitdConfig;         /// its buildkitd.toml, "" for none
    };

    /// Returns the nodes of the docker-container builder named name; none when the store has
    /// no such builder, or one of another driver.
    std::vector<StoredNode> nodes(const std::string& name) const;

    /// Writes instances/<name> and activity/<name> for a remote builder, as `docker buildx
    /// create --driver remote` does (its driver options, paths as given); the client image
    /// goes in a field of hoist's that buildx does not read. Throws Poco::FileException.
    void saveRemote(const RemoteSpec& spec) const;

    /// Returns the remote builder named name when the store has one (made by hoist or by
    /// buildx); nothing for another driver's or none. The client image is the default unless
    /// hoist recorded one.
    std::optional<RemoteSpec> remote(const std::string& name) const;

    /// Makes name the current builder for endpoint (a docker context name or host URL), as
    /// `docker buildx use NAME` does: later `docker buildx build` commands without --builder
    /// use it. Throws Poco::FileException when the store is not writable.
    void use(const std::string& name, const std::string& endpoint) const;

    /// Removes the builder's instance, activity and refs; nothing when it has none.
    void remove(const std::string& name) const;

    /// Returns this machine's build node identifier as buildx keeps it (.buildNodeID: 16 hex
    /// digits, made on first use, under the store's lock); "" when the store cannot be written.
    std::string nodeIdentifier() const;

    /// Returns true when the store has an instance named name.
    bool has(const std::string& name) const;

    /// Returns the store's directory.
    const std::string& dir() const;

private:
    void write(const std::string& name, const std::string& json) const;

    std::string _dir;
};

} // namespace hoist::builder
