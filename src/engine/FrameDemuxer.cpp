// This file implements the splitting of the engine's multiplexed stream into stdout and stderr,
// frame headers and payloads taken as they come, a stream-3 frame thrown as the daemon's error.

#include "engine/FrameDemuxer.h"

#include "engine/EngineError.h"

#include <algorithm>

namespace hoist::engine
{

FrameDemuxer::FrameDemuxer(Sink sink) : _sink(std::move(sink)) {}

void FrameDemuxer::feed(const char* data, std::size_t size)
{
    while (size > 0)
    {
        if (_remaining == 0 && _headerFill < 8)
        {
            std::size_t take = std::min<std::size_t>(8 - _headerFill, size);
            std::copy(data, data + take, _header + _headerFill);
            _headerFill += take;
            data += take;
            size -= take;
            if (_headerFill < 8)
                return;
            _stream = _header[0];
            if (_stream > 3)
                throw EngineApiException("reading a multiplexed stream", 0,
                                         "unknown stream " + std::to_string(_stream) +
                                             " in the engine's frame header");
            _remaining = (std::uint32_t(_header[4]) << 24) | (std::uint32_t(_header[5]) << 16) |
                         (std::uint32_t(_header[6]) << 8) | std::uint32_t(_header[7]);
            if (_remaining == 0)
                _headerFill = 0;
            continue;
        }
        std::size_t take = std::min<std::size_t>(_remaining, size);
        if (_stream == 3)
            _systemError.append(data, take);
        else
            // stdin echoed as stream 0 belongs with stdout, as stdcopy does.
            _sink(_stream == 2 ? 2 : 1, data, take);
        data += take;
        size -= take;
        _remaining -= static_cast<std::uint32_t>(take);
        if (_remaining == 0)
        {
            _headerFill = 0;
            if (_stream == 3)
                throw EngineApiException("reading a multiplexed stream", 0,
                                         "error from daemon in stream: " + _systemError);
        }
    }
}

bool FrameDemuxer::atBoundary() const
{
    return _remaining == 0 && _headerFill == 0;
}

} // namespace hoist::engine
