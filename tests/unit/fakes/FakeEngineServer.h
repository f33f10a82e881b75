#pragma once

#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoist::test
{

/// A canned HTTP server on a temporary unix socket, for unit tests of the engine client's
/// decoding and error paths. Each connection gets the next canned response, written as the
/// given pieces (to split frames across reads); requests are recorded as raw text.
class FakeEngineServer
{
public:
    /// One canned answer: raw bytes, written piece by piece.
    struct Reply
    {
        std::vector<std::string> pieces;
        bool readStdinUntilEof = false; /// for hijacked exec: read the client's stdin to EOF first
    };

    FakeEngineServer();
    ~FakeEngineServer();

    /// Queues a reply for the next connection.
    void reply(Reply r);
    /// Queues a JSON reply with status and headers ("Name: value\r\n" lines).
    void replyJson(int status, const std::string& body, const std::string& headers = "");

    /// Returns the socket's path.
    const std::string& path() const;
    /// Returns the requests received so far (request line, headers and body, as raw text).
    std::vector<std::string> requests();
    /// Returns what a hijacked client sent after its request (its stdin).
    std::string received();

private:
    void serve();

    std::string _dir;
    std::string _path;
    Poco::Net::ServerSocket _server;
    std::thread _thread;
    std::atomic<bool> _stop{false};
    std::mutex _mutex;
    std::vector<Reply> _replies;
    std::size_t _next = 0;
    std::vector<std::string> _requests;
    std::string _received;
};

} // namespace hoist::test
