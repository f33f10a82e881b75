#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// A build context kept in the builder between builds, one directory per context (its sync
/// key), so a build sends only what changed since the last: the helper lists the mirror
/// (`hoist __mirror-list DIR`: its manifest) unless this machine kept it, hoist tells the
/// difference from the context here, and the helper applies it under the mirror's lock before
/// buildctl starts (see MemoryFiles' unpack), checking first that the mirror's manifest is the
/// one the difference was told from. The lock is held by
/// buildctl until it ends, so a concurrent build of the same context never changes the files
/// under it: that build sends its context whole instead.
///
/// The manifest is kept beside the mirror (DIR.manifest): the context's own entries as the
/// build that changed the mirror last described them, written once its change is applied and
/// removed before the next is, so neither listing nor checking walks the mirror. Where there is
/// none (a change cut short, a mirror of an older hoist), the mirror is walked.
///
/// A small context's mirror lives in the builder's memory (MEMORY_ROOT, /dev/shm: no file
/// system's cost per file, gone when the container stops), which every build's small inputs
/// share: there, mirrors give way to builds (see makeRoomFor()).
class Mirror
{
public:
    /// The helper's command name that prints a mirror's manifest.
    static const char* const LIST_COMMAND;

    /// The helper's exit code when another build holds the mirror.
    static constexpr int BUSY = 123;
    /// The helper's exit code when the mirror is not the one its change was told from (as it
    /// was listed, or as a manifest kept elsewhere says).
    static constexpr int STALE = 122;

    /// Where the mirrors of small contexts live: the builder's memory file system.
    static constexpr const char* MEMORY_ROOT = "/dev/shm";

    /// The most mirrors kept in the builder's memory beside the one a build changes (each at
    /// most a small context's 8 MiB: half of Docker's default 64 MiB).
    static constexpr std::size_t MEMORY_MIRRORS = 3;

    /// The room left free in the builder's memory before a build unpacks there: two small
    /// contexts' worth.
    static constexpr std::uint64_t MEMORY_ROOM = 16ull << 20;

    /// One file, directory or symlink of a manifest, relative to the mirror.
    struct Entry
    {
        char type = 'f'; /// 'f' file, 'd' directory, 'l' symlink
        unsigned mode = 0;
        std::uint64_t size = 0;
        std::int64_t mtime = 0;
        std::uint32_t mtimeNsec = 0;
        std::string path;
        std::string link;
        std::string hash; /// a file's SHA-256 where stat cannot tell (NSEC 0), else ""
    };

    /// Returns the directory of the mirror keyed key (a context's sync key) under root: the
    /// state volume, or MEMORY_ROOT.
    static std::string in(const std::string& root, const std::string& key);

    /// Returns the manifest of dir: every file, directory and symlink under it, sorted by path,
    /// one a line ("T MODE SIZE SEC NSEC LEN:PATH LEN:LINK LEN:HASH"); "" when dir does not
    /// exist. A file whose mtime has no fraction of a second (a file system that keeps whole
    /// seconds, a tool that sets times, as unpacked archives and reproducible checkouts do)
    /// has its content's SHA-256: two versions of it may share size and mtime.
    static std::string list(const std::string& dir);

    /// Returns the entries of a manifest. Throws Poco::DataFormatException for another text.
    static std::vector<Entry> parse(const std::string& manifest);

    /// Returns the manifest of entries, one a line, in their order (see list()).
    static std::string format(const std::vector<Entry>& entries);

    /// Returns dir's manifest: the one kept beside it, else list(dir); "" when dir does not
    /// exist.
    static std::string current(const std::string& dir);

    /// Forgets the manifest kept beside dir, before dir changes. Returns "" or why not.
    static std::string forget(const std::string& dir);

    /// Keeps manifest beside dir, once dir holds what it describes. Returns "" or why not.
    static std::string keep(const std::string& dir, const std::string& manifest);

    /// Returns the digest a manifest is checked by.
    static std::string digest(const std::string& manifest);

    /// Takes dir's lock (a descriptor left open across exec, so the command the helper runs
    /// next holds it until it ends; fd gets it) and checks that dir's current() manifest has
    /// digest.
    /// Returns 0, or BUSY or STALE with why (fd -1, nothing held).
    static int lock(const std::string& dir, const std::string& digest, int& fd, std::string& why);

    /// Removes mirrors beside except in parent that no build holds, least recently used first,
    /// while more than othersMax are there or parent's file system has less than freeMin bytes
    /// free. Returns the mirrors removed.
    static std::vector<std::string> makeRoom(const std::string& parent, const std::string& except,
                                             std::size_t othersMax, std::uint64_t freeMin);

    /// Makes room before the helper unpacks into dir (a mirror it holds, or a directory made
    /// anew): where dir lies in the builder's memory, the mirrors there but except (the one
    /// this build changes) give way (makeRoom() with MEMORY_MIRRORS and MEMORY_ROOM). Never
    /// throws.
    static void makeRoomFor(const std::string& dir, const std::string& except);

    /// Removes each of paths ('\0'-separated, relative to dir, none with a ".." component)
    /// from dir. Returns "" or why not.
    static std::string remove(const std::string& dir, const std::string& paths);

    /// Runs as `hoist __mirror-list DIR` in the builder: prints DIR's manifest (current()) on out, and
    /// removes the mirrors beside it that no build has used for a week. Returns 0, or 1 (said on
    /// err).
    static int listMain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

} // namespace hoist::builder
