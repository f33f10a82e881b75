#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// The extended attributes of a builder's state directory that the engine's archive copy
/// (GET /containers/{id}/archive) drops: it keeps only security.capability, while BuildKit's
/// overlay snapshots mark replaced directories opaque with trusted.overlay.* attributes, and a
/// snapshot without them shows files a later layer removed. hoist's helper lists them in the
/// builder (`hoist __xattrs DIR`) while the daemon still runs; a restore puts them back with a
/// second tar of the directories, which the engine's archive PUT applies.
class StateAttrs
{
public:
    /// The helper's command name (its first argument).
    static const char* const COMMAND;

    /// A directory with attributes: its path relative to the state directory's parent (so
    /// "buildkit/…", as the archive copy names it) and what a tar entry restores.
    struct Dir
    {
        std::string path;
        unsigned mode = 0755;
        unsigned uid = 0;
        unsigned gid = 0;
        std::int64_t mtime = 0;
        std::map<std::string, std::string> xattrs; /// name → value (bytes)
    };

    /// What the helper found.
    struct Listing
    {
        std::vector<Dir> dirs;
        /// Files (not directories) with attributes other than security.capability, which no
        /// restore carries.
        std::size_t lost = 0;
    };

    /// Returns the helper's argv that lists dir.
    static std::vector<std::string> argv(const std::string& helper, const std::string& dir);

    /// Runs as `hoist __xattrs DIR` in the builder: prints DIR's listing as JSON on out.
    /// Returns 0, or 1 when DIR cannot be walked (said on err).
    static int main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

    /// Returns the listing as JSON (values in base64).
    static std::string toJson(const Listing& listing);

    /// Returns the listing of toJson's text. Throws Poco::DataFormatException for another.
    static Listing fromJson(const std::string& json);

    /// Writes a tar of the listing's directories, each with its attributes.
    static void writeTar(const Listing& listing, std::ostream& out);
};

} // namespace hoist::builder
