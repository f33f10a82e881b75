#pragma once

#include "engine/Endpoint.h"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hoist::engine
{

/// One connection's ssh process: what it wrote to stderr, and whether it has exited.
class SshProcess
{
public:
    /// Records a chunk of the process's stderr.
    void append(const std::string& text);

    /// Records the process's end.
    void exited(int status);

    /// Returns what the process wrote to stderr, trimmed, waiting up to wait for it to exit
    /// (a refused login ends ssh right after the error it prints).
    std::string words(Poco::Timespan wait);

private:
    std::mutex _mutex;
    std::condition_variable _ended;
    std::string _stderr;
    bool _exited = false;
};

/// Connects to an engine behind ssh:// the way the docker CLI does: the system's OpenSSH client
/// runs `docker system dial-stdio` on the far side, and the connection is its standard input
/// and output. One ssh process per connection; it ends when the connection closes.
class SshDialer
{
public:
    /// Returns ssh's arguments for endpoint (without "ssh"): -o ConnectTimeout, -o BatchMode=yes
    /// (no prompt: the login must ask nothing), -T, the user
    /// (-l) and port (-p) when given, "--", the host and the remote command (with
    /// --host=unix://PATH when the URL has a path).
    static std::vector<std::string> arguments(const Endpoint& endpoint, Poco::Timespan connect);

    /// Starts ssh for endpoint and returns the connection, with process told of its stderr and
    /// end. Throws base::UnavailableException when ssh cannot be started.
    static Poco::Net::StreamSocket dial(const Endpoint& endpoint, Poco::Timespan connect,
                                        const std::shared_ptr<SshProcess>& process);
};

} // namespace hoist::engine
