#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace hoist::engine
{

/// Splits the engine's multiplexed stream (exec and logs without a TTY) into stdout and
/// stderr: frames of an 8-byte header [stream, 0, 0, 0, size as 32-bit big-endian] and size
/// payload bytes. Frames may be split across reads and a read may hold several; feed()
/// takes bytes as they come. Stream 3 is an error from the daemon (stdcopy's "systemerr").
class FrameDemuxer
{
public:
    /// Called with the stream (1 stdout, 2 stderr) and a piece of its payload.
    using Sink = std::function<void(int stream, const char* data, std::size_t size)>;

    /// A demuxer passing payloads to sink.
    explicit FrameDemuxer(Sink sink);

    /// Consumes size bytes. Throws EngineApiException for a stream byte that is not 0-3, and
    /// for a complete stream-3 frame (the daemon's error text).
    void feed(const char* data, std::size_t size);

    /// Returns true when the input ended on a frame boundary.
    bool atBoundary() const;

private:
    Sink _sink;
    unsigned char _header[8];
    std::size_t _headerFill = 0;
    std::uint32_t _remaining = 0;
    int _stream = 0;
    std::string _systemError;
};

} // namespace hoist::engine
