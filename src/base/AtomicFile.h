#pragma once

#include <istream>
#include <string>

namespace hoist::base
{

/// A file on this machine written in full or not at all: the data goes to a temporary file
/// beside the destination, every write checked, and replaces it only on commit(); an object
/// destroyed uncommitted removes the temporary. A full disk therefore never leaves a truncated
/// result where a good one is expected.
class AtomicFile
{
public:
    /// Starts writing path (mode less the umask). Throws Poco::CreateFileException naming the
    /// path and the reason.
    explicit AtomicFile(std::string path, unsigned mode = 0644);

    /// Removes the temporary file unless committed.
    ~AtomicFile();

    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends size bytes. Throws Poco::WriteFileException naming the path and the reason.
    void write(const char* data, std::size_t size);

    /// Appends everything in until its end. Throws as write().
    void copyFrom(std::istream& in);

    /// Flushes the data to disk and puts the file in place. Throws Poco::WriteFileException.
    void commit();

    /// Writes content to path atomically. Throws as the steps do.
    static void put(const std::string& path, const std::string& content, unsigned mode = 0644);

private:
    std::string _path;
    std::string _tmp;
    int _fd = -1;
    bool _committed = false;
};

} // namespace hoist::base
