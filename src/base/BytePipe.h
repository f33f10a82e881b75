#pragma once

#include <Poco/Pipe.h>

#include <cstddef>
#include <istream>
#include <memory>

namespace hoist::base
{

/// A kernel pipe between two threads of hoist: one writes bytes as they come (e.g. an exec's
/// stdout), the other reads them as a stream (e.g. a request body). Constant memory; the
/// writer blocks while the reader is behind.
class BytePipe
{
public:
    BytePipe();
    ~BytePipe();

    /// Writes size bytes. Throws Poco::IOException when the reader closed its end.
    void write(const char* data, std::size_t size);

    /// Ends the stream: the reader sees end of file.
    void closeWrite();

    /// Closes the reading end (the reader is done): a write, now or later, throws.
    void closeRead();

    /// Returns the reading end as a stream (for one reader thread).
    std::istream& reader();

    /// Returns the writing end as a stream (for one writer thread); flush, then closeWrite().
    std::ostream& writer();

private:
    Poco::Pipe _pipe;
    std::unique_ptr<std::istream> _in;
    std::unique_ptr<std::ostream> _out;
    bool _writeOpen = true;
    bool _readOpen = true;
};

} // namespace hoist::base
