#pragma once

#include "registry/RegistryClient.h"
#include "state/Snapshot.h"

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace hoist::state
{

/// Where one snapshot is kept: its manifest (the tag) and its blobs. A save writes every blob
/// first and the manifest last, so a save cut short never replaces the snapshot there.
class Store
{
public:
    virtual ~Store() = default;

    /// Returns the manifest, or std::nullopt when there is no snapshot. Throws
    /// base::UnavailableException when the store cannot be read.
    virtual std::optional<std::string> manifest() = 0;

    /// Streams the blob digest to read. Throws base::UnavailableException.
    virtual void readBlob(const std::string& digest,
                          const std::function<void(std::istream&)>& read) = 0;

    /// Stores the file path, of size bytes, as the blob digest. Throws
    /// base::UnavailableException.
    virtual void writeBlob(const std::string& digest, long long size, const std::string& path) = 0;

    /// Stores the manifest (OCI image manifest JSON), replacing the one there. Throws
    /// base::UnavailableException.
    virtual void writeManifest(const std::string& body) = 0;

    /// Returns the store as the user named it.
    virtual std::string describe() const = 0;

    /// Returns the store of location: a registry through a client for its host (made with
    /// login, reaching the host as hosts says), or a directory.
    static std::unique_ptr<Store> open(const Location& location,
                                       const registry::RegistryClient::LoginFor& login,
                                       const registry::RegistryHosts& hosts);
};

} // namespace hoist::state
