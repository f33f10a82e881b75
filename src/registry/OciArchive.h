#pragma once

#include <string>
#include <vector>

namespace hoist::registry
{

/// One image of a multi-platform build in an OCI archive (BuildKit's type=oci output, a tar):
/// its file and the platforms it holds.
struct OciPart
{
    std::string path;
    std::vector<std::string> platforms; /// os/arch[/variant]
};

/// Joins OCI archives of one build's platforms (a multi-node build's legs) into one archive
/// whose index holds every platform's manifest (and attestation manifest), as one builder's
/// multi-platform type=oci export holds them: the blobs of every part once, one image index
/// of their manifests in the parts' order, index.json pointing at it with the first part's
/// annotations, and oci-layout.
class OciArchive
{
public:
    /// How the joined layout is written.
    enum class Layout
    {
        Archive,  /// a tar at dest, put in place whole
        Directory /// an OCI image layout in the directory dest (BuildKit's tar=false), made
                  /// when missing; index.json written last
    };

    /// Writes the layout joining parts to dest. Throws Poco::DataFormatException for a part
    /// that is not an OCI archive, Poco::FileException when a file cannot be read or written.
    static void join(const std::vector<OciPart>& parts, const std::string& dest,
                     Layout layout = Layout::Archive);
};

} // namespace hoist::registry
