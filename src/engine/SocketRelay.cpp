// This file implements the local end of a socket relay: one thread polls the exec's hijacked
// connection and the local connections, because a TLS connection must not be read and
// written from two threads.

#include "engine/SocketRelay.h"

#include "base/Log.h"
#include "engine/FrameDemuxer.h"
#include "engine/Hijacked.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <map>
#include <set>

namespace hoist::engine
{

std::string RelayFrames::frame(std::uint32_t connection, const char* data, std::uint32_t size)
{
    std::string out(8, '\0');
    for (int i = 0; i < 4; ++i)
    {
        out[i] = static_cast<char>((connection >> (24 - 8 * i)) & 0xff);
        out[4 + i] = static_cast<char>((size >> (24 - 8 * i)) & 0xff);
    }
    return out.append(data, size);
}

RelayFrames::Reader::Reader(Sink sink) : _sink(std::move(sink)) {}

void RelayFrames::Reader::feed(const char* data, std::size_t size)
{
    _buffer.append(data, size);
    std::size_t at = 0;
    auto u32 = [&](std::size_t i)
    {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k)
            v = (v << 8) | static_cast<unsigned char>(_buffer[i + k]);
        return v;
    };
    while (_buffer.size() - at >= 8)
    {
        const std::uint32_t id = u32(at), len = u32(at + 4);
        if (_buffer.size() - at - 8 < len)
            break;
        _sink(id, _buffer.data() + at + 8, len);
        at += 8 + len;
    }
    _buffer.erase(0, at);
}

struct SocketRelay::Loop
{
    Poco::Net::StreamSocket exec;
    std::string localSocket;
    std::map<std::uint32_t, Poco::Net::StreamSocket> connections;
    std::set<std::uint32_t> closed; // ended here: what the container still sends is dropped
    std::string outgoing;           // frames for the exec's stdin not sent yet

    static constexpr const char* TCP = "tcp://";

    Poco::Net::SocketAddress target() const
    {
        if (localSocket.rfind(TCP, 0) == 0)
            return Poco::Net::SocketAddress(localSocket.substr(std::string(TCP).size()));
        return Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, localSocket);
    }

    // Ends connection id here and tells the container's side (unless it ended it).
    void end(std::uint32_t id, bool tell)
    {
        auto it = connections.find(id);
        if (it != connections.end())
        {
            it->second.close();
            connections.erase(it);
        }
        closed.insert(id);
        if (tell)
            outgoing += RelayFrames::frame(id, nullptr, 0);
    }

    void fromContainer(std::uint32_t id, const char* data, std::uint32_t size)
    {
        auto it = connections.find(id);
        if (size == 0 || (it == connections.end() && closed.count(id)))
        {
            end(id, false); // its end, or bytes of a connection that failed here: dropped
            return;
        }
        try
        {
            if (it == connections.end())
            {
                Poco::Net::StreamSocket s;
                s.connect(target(), Poco::Timespan(10, 0));
                if (localSocket.rfind(TCP, 0) == 0)
                    s.setNoDelay(true); // gRPC's small frames go at once
                it = connections.emplace(id, s).first;
            }
            it->second.sendBytes(data, static_cast<int>(size));
        }
        catch (const Poco::Exception& e)
        {
            // This connection fails alone: the others and the relay go on.
            base::Log::get("engine").warning("relay to %s: %s", localSocket, e.displayText());
            end(id, true);
        }
    }

    // One round: wait up to tick for any socket, move what is ready. False when the exec's
    // connection ended.
    bool round(FrameDemuxer& demux)
    {
        Poco::Net::Socket::SocketList reads{exec}, writes, errors;
        for (const auto& [id, s] : connections)
            reads.push_back(s);
        if (!outgoing.empty())
            writes.push_back(exec);
        // TLS may hold bytes poll() cannot see: then only a look, so that reads lists the
        // ready sockets only (a read of any other would block the relay).
        const bool buffered = exec.available() > 0;
        if (Poco::Net::Socket::select(reads, writes, errors,
                                      buffered ? Poco::Timespan(0) : Poco::Timespan(0, 200000)) ==
                0 &&
            !buffered)
            return true;
        char buf[16384];
        for (const auto& s : reads)
        {
            if (s == exec)
                continue;
            for (auto& [id, c] : connections)
            {
                if (c != s)
                    continue;
                int n = 0;
                try
                {
                    n = c.receiveBytes(buf, sizeof buf);
                }
                catch (const Poco::Exception& e)
                {
                    base::Log::get("engine").information("relay to %s: %s", localSocket,
                                                         e.displayText());
                }
                if (n > 0)
                    outgoing += RelayFrames::frame(id, buf, static_cast<std::uint32_t>(n));
                else
                    end(id, true);
                break;
            }
        }
        if (buffered || std::find(reads.begin(), reads.end(), exec) != reads.end())
        {
            int n = exec.receiveBytes(buf, sizeof buf);
            if (n <= 0)
                return false;
            demux.feed(buf, static_cast<std::size_t>(n));
        }
        if (!outgoing.empty() && !writes.empty())
        {
            int sent = exec.sendBytes(outgoing.data(), static_cast<int>(outgoing.size()));
            if (sent > 0)
                outgoing.erase(0, static_cast<std::size_t>(sent));
        }
        return true;
    }
};

SocketRelay::SocketRelay(EngineClient& client, const std::string& container, const ExecSpec& spec,
                         std::string localSocket)
    : _loop(std::make_unique<Loop>())
{
    const std::string id = Exec(client).create(container, spec, true);
    Request r;
    r.method = "POST";
    r.path = "/exec/" + id + "/start";
    r.body = R"({"Detach":false,"Tty":false})";
    std::unique_ptr<Hijacked> hijacked = client.upgrade(r);
    _loop->exec = hijacked->socket;
    _loop->localSocket = std::move(localSocket);
    const std::string early = hijacked->early;
    _thread = std::thread(
        [this, early]
        {
            Loop& loop = *_loop;
            RelayFrames::Reader frames([&](std::uint32_t c, const char* d, std::uint32_t n)
                                       { loop.fromContainer(c, d, n); });
            FrameDemuxer demux(
                [&](int stream, const char* data, std::size_t size)
                {
                    if (stream == 1)
                        frames.feed(data, size);
                    else
                        base::Log::get("engine").debug("relay: %s", std::string(data, size));
                });
            try
            {
                if (!early.empty())
                    demux.feed(early.data(), early.size());
                while (!_stop && loop.round(demux))
                {
                }
            }
            catch (const Poco::Exception& e)
            {
                base::Log::get("engine").warning("relay to %s ended: %s", loop.localSocket,
                                                 e.displayText());
            }
        });
}

SocketRelay::~SocketRelay()
{
    _stop = true;
    if (_thread.joinable())
        _thread.join();
    try
    {
        _loop->exec.close(); // the relay process reads end-of-file and ends
    }
    catch (const Poco::Exception&)
    {
    }
}

} // namespace hoist::engine
