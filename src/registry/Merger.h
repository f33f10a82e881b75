#pragma once

#include "base/Problem.h"
#include "registry/Index.h"
#include "registry/RegistryClient.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hoist::registry
{

/// Makes one multi-platform image of several pushed ones, with nothing but registries:
/// reads each source (an image or an index, by digest or tag), and pushes the merged index to
/// each tag — first copying every manifest it lists, and their blobs, into a tag's repository
/// when they live elsewhere (a cross-repository mount where the registry allows it, else a
/// streamed copy).
class Merger
{
public:
    /// Receives progress notes ("copying 3 blobs to …").
    using Note = std::function<void(const std::string&)>;

    /// A merger whose clients log in with login and reach each registry as hosts says.
    Merger(RegistryClient::LoginFor login, RegistryHosts hosts, Note note);
    ~Merger();

    /// Reads the sources (references as the user gave them); appends a problem for each that
    /// cannot be read (none such, not an image). Throws base::UnavailableException when a
    /// registry cannot be reached or refuses.
    std::vector<SourceImage> read(const std::vector<std::string>& references,
                                  base::Problems& problems);

    /// Pushes index to every tag (references with a tag). Returns the index's digest. Throws
    /// base::UnavailableException.
    std::string push(const Index& index, const std::vector<std::string>& tags);

private:
    RegistryClient& client(const std::string& host);
    void copyInto(const IndexEntry& entry, const std::string& host, const std::string& repository);

    RegistryClient::LoginFor _login;
    RegistryHosts _hosts;
    Note _note;
    std::map<std::string, std::unique_ptr<RegistryClient>> _clients;
};

} // namespace hoist::registry
