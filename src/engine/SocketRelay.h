#pragma once

#include "engine/EngineClient.h"
#include "engine/Exec.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace hoist::engine
{

/// Connections to a unix socket in a container carried to a unix socket on this machine (an
/// ssh agent, for RUN --mount=type=ssh) or to a TCP address it reaches (a remote BuildKit
/// daemon, "tcp://HOST:PORT"): a process in the container (see RelayFrames) accepts
/// them and carries their bytes over its stdin and stdout, framed; here one thread drives the
/// exec's connection and one connection to the local socket for each in the container. Lives
/// as long as this object.
class SocketRelay
{
public:
    /// Starts spec (the relay process) in container and carries what it accepts to
    /// localSocket: a unix socket's path, or "tcp://HOST:PORT". A connection that fails ends
    /// alone. Throws EngineApiException when the process cannot start.
    SocketRelay(EngineClient& client, const std::string& container, const ExecSpec& spec,
                std::string localSocket);

    /// Stops: the relay process reads end-of-file and ends, removing its socket.
    ~SocketRelay();

    SocketRelay(const SocketRelay&) = delete;
    SocketRelay& operator=(const SocketRelay&) = delete;

private:
    struct Loop;

    std::unique_ptr<Loop> _loop;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

/// The relay's framing on the exec's stdin and stdout: a 4-byte connection id, a 4-byte
/// length (both big-endian), the bytes; length 0 closes the connection.
struct RelayFrames
{
    /// Returns one frame.
    static std::string frame(std::uint32_t connection, const char* data, std::uint32_t size);

    /// Splits frames out of a byte stream fed piece by piece.
    class Reader
    {
    public:
        /// Called with each frame (size 0: the connection closes).
        using Sink = std::function<void(std::uint32_t, const char*, std::uint32_t)>;
        explicit Reader(Sink sink);
        void feed(const char* data, std::size_t size);

    private:
        Sink _sink;
        std::string _buffer;
    };
};

} // namespace hoist::engine
