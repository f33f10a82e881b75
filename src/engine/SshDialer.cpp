// This file implements engine connections through ssh: the ssh command line as the docker CLI
// builds it, the process started on one end of a socket pair, and its stderr kept for errors.

#include "engine/SshDialer.h"

#include "base/Error.h"

#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/String.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace hoist::engine
{

void SshProcess::append(const std::string& text)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_stderr.size() < 4096)
        _stderr += text;
}

void SshProcess::exited(int status)
{
    (void)status;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _exited = true;
    }
    _ended.notify_all();
}

std::string SshProcess::words(Poco::Timespan wait)
{
    std::unique_lock<std::mutex> lock(_mutex);
    _ended.wait_for(lock, std::chrono::microseconds(wait.totalMicroseconds()),
                    [this] { return _exited; });
    return Poco::trim(_stderr);
}

std::vector<std::string> SshDialer::arguments(const Endpoint& e, Poco::Timespan connect)
{
    // BatchMode: ssh runs in a process group of its own, where a prompt could only hang.
    std::vector<std::string> args = {
        "-o", "ConnectTimeout=" + std::to_string(std::max<long>(1, connect.totalSeconds())), "-o",
        "BatchMode=yes", "-T"};
    if (!e.sshUser.empty())
        args.insert(args.end(), {"-l", e.sshUser});
    if (e.port != 0)
        args.insert(args.end(), {"-p", std::to_string(e.port)});
    args.insert(args.end(), {"--", e.host, "docker"});
    if (!e.socketPath.empty())
        args.push_back("--host=unix://" + e.socketPath);
    args.insert(args.end(), {"system", "dial-stdio"});
    return args;
}

namespace
{
// Reads the process's stderr until it closes, then reaps the process.
void watch(pid_t pid, int errFd, std::shared_ptr<SshProcess> process)
{
    char buf[1024];
    for (;;)
    {
        const ssize_t n = ::read(errFd, buf, sizeof buf);
        if (n > 0)
            process->append(std::string(buf, static_cast<std::size_t>(n)));
        else if (n == 0 || errno != EINTR)
            break;
    }
    ::close(errFd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR)
    {
    }
    process->exited(status);
}
} // namespace

Poco::Net::StreamSocket SshDialer::dial(const Endpoint& e, Poco::Timespan connect,
                                        const std::shared_ptr<SshProcess>& process)
{
    int sv[2];
    int err[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw base::UnavailableException(std::string("cannot make a socket pair for ssh: ") +
                                         std::strerror(errno));
    if (::pipe2(err, O_CLOEXEC) != 0)
    {
        ::close(sv[0]);
        ::close(sv[1]);
        throw base::UnavailableException(std::string("cannot make a pipe for ssh: ") +
                                         std::strerror(errno));
    }
    std::vector<std::string> args = arguments(e, connect);
    args.insert(args.begin(), "ssh");
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> environment = e.sshEnvironment;
    std::vector<char*> envp;
    for (auto& v : environment)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // Nothing else of hoist's (another thread's pipes to a credential helper) goes with ssh.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    // A process group of its own: a Ctrl-C at the terminal is hoist's to handle, and hoist
    // still needs the engine to clean up after it.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, "ssh", &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    ::close(err[1]);
    if (rc != 0)
    {
        ::close(sv[0]);
        ::close(err[0]);
        throw base::UnavailableException(
            "cannot run ssh to reach the Docker engine at " + e.url() + ": " + std::strerror(rc) +
            "\nhint: install the OpenSSH client (apt-get install openssh-client)");
    }
    std::thread(watch, pid, err[0], process).detach();
    return Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(sv[0]));
}

} // namespace hoist::engine
