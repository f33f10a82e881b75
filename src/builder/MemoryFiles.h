#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// Where the helper unpacks one tar of its stdin: a directory made anew (mode 0700), or a build
/// context's mirror (see Mirror), changed in place once it is locked and checked: the tar is
/// then preceded by two framed values, what to remove ('\0'-separated paths) and the manifest
/// the mirror has once changed (kept beside it).
struct Unpack
{
    std::string dir;
    std::string mirrorDigest; /// a mirror: the digest its manifest must still have; "" not one

    /// Returns a directory made anew.
    static Unpack into(std::string dir) { return {std::move(dir), ""}; }
};

/// Values handed to a process in a builder as files that exist only in memory: hoist's helper
/// (`hoist __files N -- CMD…`) reads them from its stdin, puts each in a memfd at descriptor
/// 3, 4, … and executes CMD, which reads them as /proc/self/fd/3, … . Nothing reaches argv,
/// the environment, the container's layer or the state volume, and the files go when CMD
/// ends. For build secrets of any size and content (buildctl --secret src=…). The same stdin
/// can then carry the build's files: one tar per directory, unpacked before CMD starts, so a
/// build needs one exec and no archive request to the engine.
class MemoryFiles
{
public:
    /// The helper's command name (its first argument).
    static const char* const COMMAND;

    /// Returns the path under which CMD reads the i-th value.
    static std::string path(std::size_t i);

    /// The key of the line the helper writes on stderr, once CMD has ended, for each file CMD
    /// writes for hoist (the values of its --metadata-file and --ref-file arguments):
    /// {"hoist.file":{"path":PATH,"data":BASE64}}, without "data" when there is no such file.
    /// Spares hoist an archive request a file.
    static const char* const REPORTED;

    /// The helper's exit code when it could not unpack (said on stderr, "hoist files: …").
    static constexpr int UNPACK_FAILED = 126;

    /// Returns the helper's argv that runs cmd with count values, after unpacking one tar
    /// stream (with both end-of-archive blocks) into each of unpack, in order.
    static std::vector<std::string> argv(const std::string& helper, std::size_t count,
                                         const std::vector<std::string>& cmd,
                                         const std::vector<Unpack>& unpack = {});

    /// Writes values for the helper's stdin: each as an 8-byte big-endian length, then its
    /// bytes.
    static std::string frame(const std::vector<std::string>& values);

    /// Runs as `hoist __files N [--unpack DIR | --mirror DIR DIGEST]… -- CMD…` in the builder:
    /// reads N values from stdin, unpacks the tars, then executes CMD with the values at
    /// descriptors 3… and stdin on /dev/null. A CMD naming files for hoist (REPORTED) runs as
    /// a child instead, signals passed on to it: returns its exit code (128 + the signal that
    /// ended it) once the files are reported. Otherwise returns only on failure: UNPACK_FAILED
    /// as soon as a tar cannot be unpacked, the rest of stdin unread; Mirror::BUSY or
    /// Mirror::STALE before reading a mirror's tar; or 127 (said on err).
    static int main(const std::vector<std::string>& args, std::istream& in, std::ostream& err);
};

} // namespace hoist::builder
