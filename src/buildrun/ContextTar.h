#pragma once

#include "base/Problem.h"
#include "base/TarWriter.h"
#include "buildrun/DockerIgnore.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace hoist::buildrun
{

/// A build context directory as it will be sent: the entries .dockerignore keeps (never fewer
/// than BuildKit would keep: an excluded directory is still walked when an exception could
/// re-include something in it), checked readable before anything is sent, then streamed as a
/// tar in constant memory.
class ContextTar
{
public:
    /// One entry, with what BuildKit's file sync compares of it.
    struct Item
    {
        std::string rel;
        char type = 'f'; /// 'f' file, 'd' directory, 'l' symlink
        unsigned mode = 0644;
        std::int64_t mtime = 0;
        std::uint32_t mtimeNsec = 0;
        std::uint64_t size = 0;
        std::string link;
    };

    /// Scans dir. Appends a problem for every entry that cannot be read.
    static ContextTar scan(const std::string& dir, const DockerIgnore& ignore,
                           base::Problems& problems);

    /// Writes the entries as a tar to out, names prefixed with prefix ("" or "ctx/").
    void write(std::ostream& out, const std::string& prefix) const;

    /// Adds the entries to an open tar, names prefixed with prefix (the caller finishes it);
    /// with only, the i-th entry only when only[i].
    void writeEntries(base::TarWriter& tar, const std::string& prefix,
                      const std::vector<bool>* only = nullptr) const;

    /// Returns the entries, in the order they are written (a directory before what is in it).
    const std::vector<Item>& items() const;

    /// Returns the SHA-256 of a file entry's content, or "" when it cannot be read; read once
    /// per entry.
    std::string digestOf(const Item& item) const;

    /// Returns a digest of the paths and contents of the files whose mtime has no fraction of a
    /// second (what a file sync comparing stat cannot tell apart), "" when there are none.
    std::string wholeSecondDigest() const;

    /// Returns the number of regular files.
    std::size_t files() const;

    /// Returns the bytes of file content.
    std::uint64_t bytes() const;

private:
    static Item itemOf(const std::string& rel, const struct stat& st);
    void addLeaf(Item& it, const std::string& path, const struct stat& st,
                 base::Problems& problems);
    void walk(const std::string& rel, const DockerIgnore& ignore, base::Problems& problems);

    std::string _root;
    std::vector<Item> _items;
    std::size_t _files = 0;
    std::uint64_t _bytes = 0;
    mutable std::map<std::string, std::string> _digests; // digestOf's, by entry
};

} // namespace hoist::buildrun
