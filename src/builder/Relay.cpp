// This file implements the container end of a socket relay, the helper's `__relay`: it listens
// on a unix socket and carries each connection's bytes over its stdin and stdout in frames.

#include "builder/Relay.h"

#include "base/Files.h"
#include "engine/SocketRelay.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace hoist::builder
{

namespace
{

int listenOn(const std::string& path, std::ostream& err)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
    {
        err << "hoist relay: socket path too long: " << path << "\n";
        return -1;
    }
    std::strcpy(addr.sun_path, path.c_str());
    // A build's socket goes in its work directory, which its buildctl exec may not have
    // unpacked yet: made here as that exec makes it, for root alone.
    const std::string parent = Poco::Path(path).parent().toString();
    try
    {
        base::makeDirs(parent, 0700);
    }
    catch (const Poco::Exception& e)
    {
        err << "hoist relay: " << e.message() << "\n";
        return -1;
    }
    ::unlink(path.c_str());
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 16) != 0)
    {
        err << "hoist relay: cannot listen on " << path << ": " << std::strerror(errno) << "\n";
        return -1;
    }
    return fd;
}

// One relay: the listening socket, the connections by id, stdin's frames.
struct Run
{
    int listener;
    std::map<std::uint32_t, int> connections;
    std::uint32_t next = 1;

    void closeConnection(std::uint32_t id)
    {
        auto it = connections.find(id);
        if (it == connections.end())
            return;
        ::close(it->second);
        connections.erase(it);
    }

    void fromClient(std::uint32_t id, const char* data, std::uint32_t size)
    {
        auto it = connections.find(id);
        if (size == 0 || it == connections.end())
            return closeConnection(id);
        if (!base::writeAll(it->second, data, size))
            closeConnection(id);
    }

    void accept()
    {
        int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0)
            connections[next++] = c;
    }

    void fromConnection(std::uint32_t id, int fd)
    {
        char buf[16384];
        ssize_t n = ::read(fd, buf, sizeof buf);
        const std::uint32_t size = n > 0 ? static_cast<std::uint32_t>(n) : 0;
        const std::string f = engine::RelayFrames::frame(id, buf, size);
        base::writeAll(STDOUT_FILENO, f.data(), f.size());
        if (size == 0)
            closeConnection(id);
    }
};

} // namespace

const char* const Relay::COMMAND = "__relay";

std::vector<std::string> Relay::argv(const std::string& helper, const std::string& path)
{
    return {helper, COMMAND, path};
}

int Relay::main(const std::vector<std::string>& args, std::ostream& err)
{
    if (args.size() != 1)
    {
        err << "usage: hoist " << COMMAND << " PATH\n";
        return 1;
    }
    std::signal(SIGPIPE, SIG_IGN);
    Run run{listenOn(args[0], err), {}};
    if (run.listener < 0)
        return 1;
    engine::RelayFrames::Reader frames([&](std::uint32_t id, const char* d, std::uint32_t n)
                                       { run.fromClient(id, d, n); });
    for (;;)
    {
        std::vector<pollfd> fds = {{STDIN_FILENO, POLLIN, 0}, {run.listener, POLLIN, 0}};
        std::vector<std::uint32_t> ids;
        for (const auto& [id, fd] : run.connections)
        {
            fds.push_back({fd, POLLIN, 0});
            ids.push_back(id);
        }
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
        {
            char buf[16384];
            ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0)
                break; // the client let go
            frames.feed(buf, static_cast<std::size_t>(n));
        }
        if (fds[1].revents & POLLIN)
            run.accept();
        for (std::size_t i = 2; i < fds.size(); ++i)
        {
            if (fds[i].revents && run.connections.count(ids[i - 2]))
                run.fromConnection(ids[i - 2], fds[i].fd);
        }
    }
    for (const auto& [id, fd] : run.connections)
        ::close(fd);
    ::close(run.listener);
    ::unlink(args[0].c_str());
    return 0;
}

} // namespace hoist::builder
