#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

namespace hoist::base
{

/// Reads a tar stream (ustar, PAX path/linkpath/size/mtime, GNU long names) entry by entry,
/// in constant memory.
class TarReader
{
public:
    /// One entry; data is valid only during the callback and yields exactly size bytes.
    struct Entry
    {
        std::string name;
        char type = '0'; /// '0' file, '5' directory, '2' symlink, '1' hard link, others
        unsigned mode = 0;
        std::uint64_t size = 0;
        std::int64_t mtime = 0;      /// seconds since the epoch
        std::uint32_t mtimeNsec = 0; /// nanoseconds past mtime (from a PAX mtime record)
        std::string link;
        std::istream* data = nullptr;
    };

    /// Calls onEntry for each entry of in until the end-of-archive blocks. Unread file data is
    /// skipped. Throws Poco::DataFormatException for a damaged header, or a stream that ends
    /// early (in an entry's data, or before the end-of-archive blocks).
    static void read(std::istream& in, const std::function<void(Entry&)>& onEntry);

    /// Returns the content of the first regular file in the tar, or "" when there is none.
    static std::string firstFile(std::istream& in);
};

} // namespace hoist::base
