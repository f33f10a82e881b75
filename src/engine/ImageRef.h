#pragma once

#include <string>

namespace hoist::engine
{

/// An image reference split the way the engine and registries need it, following the
/// distribution reference rules: [registry/]repository[:tag][@digest].
struct ImageRef
{
    std::string registry;   /// e.g. "docker.io", "localhost:5000"
    std::string repository; /// without the registry, e.g. "moby/buildkit", "library/alpine"
    std::string tag;        /// "" when only a digest is given
    std::string digest;     /// "sha256:…" or ""
    std::string name;       /// what to send as fromImage: the reference without tag/digest

    /// Parses ref; a reference with neither tag nor digest gets the tag "latest"; Docker Hub,
    /// however named (none, docker.io, index.docker.io), is "docker.io", its one-part names
    /// under "library/". Expects a reference problem() accepts.
    static ImageRef parse(const std::string& ref);

    /// Returns what is wrong with ref by the distribution reference grammar (lowercase
    /// repository path, a tag of at most 128 word characters, dots and dashes, a name of at
    /// most 255 characters, a well-formed digest), or "" when it is a valid reference.
    /// withTag false refuses a tag or digest (a repository name alone).
    static std::string problem(const std::string& ref, bool withTag = true);

    /// Returns the registry host to look credentials up under; Docker Hub's key is
    /// "https://index.docker.io/v1/".
    std::string authKey() const;
};

} // namespace hoist::engine
