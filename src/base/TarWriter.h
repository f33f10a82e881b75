#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <ostream>
#include <string>

namespace hoist::base
{

/// Writes a tar stream (POSIX ustar, with PAX extended headers for long names, long link
/// targets, sizes of 8 GiB or more, sub-second modification times and extended attributes)
/// straight to an output stream, in constant memory.
/// Entries are written in the order added; finish() writes the two zero blocks.
class TarWriter
{
public:
    /// One entry's metadata.
    struct Entry
    {
        std::string name;            /// relative path, '/'-separated, no leading '/'
        unsigned mode = 0644;        /// permission bits
        std::int64_t mtime = 0;      /// seconds since the epoch
        std::uint32_t mtimeNsec = 0; /// nanoseconds past mtime (a PAX record when not 0)
        unsigned uid = 0;
        unsigned gid = 0;
        /// extended attributes, name → value (bytes), as PAX SCHILY.xattr records
        std::map<std::string, std::string> xattrs;
    };

    /// A writer to out.
    explicit TarWriter(std::ostream& out);

    /// Adds a regular file of size bytes read from data. Throws Poco::IOException when data
    /// ends early.
    void addFile(const Entry& entry, std::uint64_t size, std::istream& data);

    /// Adds a regular file holding content.
    void addFile(const Entry& entry, const std::string& content);

    /// Adds a directory.
    void addDirectory(const Entry& entry);

    /// Adds a symbolic link to target.
    void addSymlink(const Entry& entry, const std::string& target);

    /// Writes the end-of-archive blocks. Call once, last.
    void finish();

    /// Returns the bytes written so far.
    std::uint64_t bytesWritten() const;

private:
    void header(const Entry& entry, char type, std::uint64_t size, const std::string& link);
    void pad(std::uint64_t size);
    void write(const char* data, std::size_t size);

    std::ostream& _out;
    std::uint64_t _written = 0;
};

} // namespace hoist::base
