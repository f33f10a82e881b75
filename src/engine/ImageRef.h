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

    /// Parses ref; a reference with neither tag nor digest gets the tag "latest".
    static ImageRef parse(const std::string& ref);

    /// Returns the registry host to look credentials up under; Docker Hub's key is
    /// "https://index.docker.io/v1/".
    std::string authKey() const;
};

} // namespace hoist::engine
