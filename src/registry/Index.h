#pragma once

#include "base/Problem.h"
#include "registry/RegistryClient.h"

#include <map>
#include <set>
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

/// Annotations for the descriptors of the index's manifests, by the platform of the image they
/// are for ("os/arch[/variant]"; "" every manifest, attestations' too), KEY → VALUE.
using DescriptorAnnotations = std::map<std::string, std::map<std::string, std::string>>;

/// What the index holds beside its sources' manifests, as imagetools create's flags ask.
struct IndexSpec
{
    std::map<std::string, std::string> annotations; /// the index's own, KEY → VALUE
    DescriptorAnnotations descriptorAnnotations;    /// manifest-descriptor: annotations
    std::vector<std::string> platforms; /// only these images, "os/arch[/variant]"; none: all
};

/// The multi-platform index made of several sources, as `docker buildx imagetools create`
/// makes it: indexes flattened, every image with its platform once, attestation manifests kept
/// when the image they describe is. Pure.
class Index
{
public:
    /// Merges sources as spec asks: only its platforms' images (and their attestations) when
    /// it names any, its annotations on the index and on the descriptors. Appends a problem for
    /// a platform given twice (naming both sources), for a source that is neither an image nor
    /// an index, and when no image is left.
    static Index merge(const std::vector<SourceImage>& sources, const IndexSpec& spec,
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
    void pickImages(const std::vector<IndexEntry>& all, const std::vector<std::string>& platforms,
                    base::Problems& problems);
    std::size_t images() const;
    void pickAttestations(const std::vector<IndexEntry>& all);
    void annotateDescriptors(const DescriptorAnnotations& annotations);
    void write(const std::map<std::string, std::string>& annotations);

    Manifest _manifest;
    std::vector<IndexEntry> _entries;
    std::set<std::string> _images; /// the digests of the images listed
};

} // namespace hoist::registry
