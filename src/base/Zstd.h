#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>

namespace hoist::base
{

/// A stream that compresses what is written to it as one zstd frame into a sink, in constant
/// memory. close() ends the frame; until then the sink holds no complete frame.
class ZstdOutputStream : public std::ostream
{
public:
    /// Compresses into sink at level (zstd's 1–19; 3 is zstd's default) on threads worker
    /// threads (0: in this one).
    explicit ZstdOutputStream(std::ostream& sink, int level = 3, int threads = 0);
    ~ZstdOutputStream() override;

    /// Ends the frame and flushes the sink. Throws Poco::IOException when the sink fails.
    void close();

    /// Returns the bytes written to this stream (before compression).
    std::uint64_t bytesIn() const;

private:
    class Buf;
    std::unique_ptr<Buf> _buf;
};

/// A stream that reads the zstd frames of a source, decompressed, in constant memory. Reading
/// damaged data sets badbit and throws Poco::DataFormatException from the read.
class ZstdInputStream : public std::istream
{
public:
    /// Decompresses source.
    explicit ZstdInputStream(std::istream& source);
    ~ZstdInputStream() override;

private:
    class Buf;
    std::unique_ptr<Buf> _buf;
};

} // namespace hoist::base
