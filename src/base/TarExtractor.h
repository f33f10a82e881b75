#pragma once

#include <istream>
#include <set>
#include <string>

namespace hoist::base
{

/// Extracts a tar stream into a directory on this machine, as an untrusted build's output
/// must be: every path is resolved from the directory's own descriptor one component at a
/// time with O_NOFOLLOW, so a symlink already in the directory (or one the tar makes) is never
/// followed and nothing is written outside it; a symlink or file where a directory must go is
/// replaced, never entered. Names that merely contain dots (v1..2.txt, ..hidden) are kept; a
/// ".." component is refused. Permission bits (0777; with setSpecialBits, 07777) and
/// modification times are kept. Every write is checked: a full disk or a permission problem
/// throws, naming the path and the reason. Streams in constant memory.
class TarExtractor
{
public:
    /// An extractor into dir (created if missing). Files named in last (paths relative to dir,
    /// at most 16 MiB each) are held back and written only when everything else was: a local
    /// cache's index.json, so a failed export never presents its half-written blobs as a cache.
    explicit TarExtractor(std::string dir, std::set<std::string> last = {});

    /// Extracts in; returns the number of regular files written. Throws
    /// Poco::WriteFileException / Poco::CreateFileException naming the path and the errno
    /// text, Poco::DataFormatException for a damaged tar.
    std::size_t extract(std::istream& in);

    /// Keeps the set-user-ID, set-group-ID and sticky bits too: a build's local output (as
    /// buildx's export keeps them), a build context going into a builder (where they are part
    /// of what the build sees). Off by default.
    void setSpecialBits(bool keep);

private:
    struct Run;

    std::string _dir;
    std::set<std::string> _last;
    unsigned _modeMask = 0777;
};

} // namespace hoist::base
