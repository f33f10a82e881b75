#pragma once

#include <optional>
#include <string>

namespace hoist::buildrun
{

/// The manifests of the context mirrors this machine's builds changed last (see
/// builder::Mirror), kept on this machine so the next build of a context tells what changed
/// without asking the builder to list its mirror. Keyed by the identity of what the mirror lives
/// as long as (the builder's container for a mirror in its memory, its state volume for one
/// there, or the container while it mounts a volume hoist did not make; see
/// builder::BuildChannel) and the mirror's directory, so a job that keeps its builder's state
/// finds the manifest again from the next job's container. A kept manifest is only a guess:
/// the helper checks it against the mirror's own before it changes anything, and a wrong one
/// costs a listing. Manifests no build used for a week are removed.
class MirrorManifests
{
public:
    /// Manifests kept in dir (created when first written); "" keeps none.
    explicit MirrorManifests(std::string dir);

    /// Returns true when manifests of the mirrors in identity are kept here.
    bool keeps(const std::string& identity) const;

    /// Returns the manifest kept for mirrorDir in identity; nothing when none is
    /// (or identity is "").
    std::optional<std::string> find(const std::string& identity,
                                    const std::string& mirrorDir) const;

    /// Forgets the manifest of mirrorDir in identity, before the mirror changes. Never throws.
    void forget(const std::string& identity, const std::string& mirrorDir) const;

    /// Keeps manifest for mirrorDir in identity, once the mirror holds it, and removes the
    /// manifests no build used for a week. Never throws: one that cannot be kept costs the
    /// next build a listing.
    void keep(const std::string& identity, const std::string& mirrorDir,
              const std::string& manifest) const;

private:
    std::string fileFor(const std::string& identity, const std::string& mirrorDir) const;
    void clearStale() const;

    std::string _dir;
};

} // namespace hoist::buildrun
