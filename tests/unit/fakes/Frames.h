#pragma once

#include <cstdint>
#include <string>

namespace hoist::test
{

/// Returns payload as one frame of the engine's multiplexed stream (8-byte header: stream,
/// three zero bytes, big-endian size).
inline std::string frame(int stream, const std::string& payload)
{
    std::string h(8, '\0');
    h[0] = static_cast<char>(stream);
    const auto n = static_cast<std::uint32_t>(payload.size());
    h[4] = static_cast<char>(n >> 24);
    h[5] = static_cast<char>(n >> 16);
    h[6] = static_cast<char>(n >> 8);
    h[7] = static_cast<char>(n);
    return h + payload;
}

} // namespace hoist::test
