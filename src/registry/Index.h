#pragma once

#include "base/Problem.h"
#include "registry/RegistryClient.h"

#include <map>
#include <string>
#include <vector>

namespace hoist::registry
{

/// What one source of a merge holds, as read from its registry: a manifest (one platform's
/// image, whose platform its config gave) or an index (images and their attestations).
struct SourceImage
{
    std::string name;       /// as the user gave it, for messages
    std::string host;       /// its registry
    std::string repository; /// its repository on that host
    Manifest manifest;
    std::string os, architecture, variant; /// an image manifest's platform, from its config
};

/// One manifest the index will list, and where its bytes are.
struct IndexEntry
{
    std::string descriptor; /// its descriptor in the index, as JSON
    std::string digest;
    std::string mediaType;
    std::string platform;    /// "linux/arm64"; "" for an attestation
    std::string attestsTo;   /// an attestation manifest: the digest of the image it describes
    const SourceImage* from; /// where it is
};

/// The multi-platform index made of several sources, as `docker buildx imagetools create`
/// makes it: indexes flattened, every image with its platform once, attestation manifests kept
/// when the image they describe is. Pure.
class Index
{
public:
    /// Merges sources; index-level annotations (KEY → VALUE) go on the index. Appends a
    /// problem for a platform given twice (naming both sources) and for a source that is
    /// neither an image nor an index.
    static Index merge(const std::vector<SourceImage>& sources,
                       const std::map<std::string, std::string>& annotations,
                       base::Problems& problems);

    /// Returns the index itself: an OCI image index, its bytes and digest.
    const Manifest& manifest() const;

    /// Returns the manifests it lists.
    const std::vector<IndexEntry>& entries() const;

    /// Returns the platforms of its images, in index order.
    std::vector<std::string> platforms() const;

    /// Returns true for the media types of an index (OCI's, Docker's manifest list).
    static bool isIndex(const std::string& mediaType);

    /// The media type of the index made.
    static const char* const MEDIA_TYPE;

private:
    Manifest _manifest;
    std::vector<IndexEntry> _entries;
};

} // namespace hoist::registry
