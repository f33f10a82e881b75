// This file implements a build's hold on its builder: the helper's `__hold` arguments, and the
// helper's side, which waits for stdin to end, then stops the build's processes and removes its
// files.

#include "builder/Hold.h"

#include "base/Files.h"
#include "base/Processes.h"

#include <Poco/Exception.h>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace hoist::builder
{

const char* const Hold::COMMAND = "__hold";

std::vector<std::string> Hold::argv(const std::string& helper, const std::string& owner,
                                    const std::vector<std::string>& stop,
                                    const std::vector<std::string>& remove)
{
    std::vector<std::string> a = {helper, COMMAND};
    if (!owner.empty())
        a.insert(a.end(), {"--owner", owner});
    for (const auto& s : stop)
        a.insert(a.end(), {"--stop", s});
    for (const auto& r : remove)
        a.insert(a.end(), {"--rm", r});
    return a;
}

std::string Hold::owner(const std::vector<std::string>& argv)
{
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    {
        if (argv[i] == "--owner")
            return argv[i + 1];
    }
    return "";
}

int Hold::main(const std::vector<std::string>& args, std::ostream& err)
{
    std::vector<std::string> stop, remove;
    for (std::size_t i = 0; i + 1 < args.size(); i += 2)
    {
        if (args[i] == "--stop")
            stop.push_back(args[i + 1]);
        else if (args[i] == "--rm")
            remove.push_back(args[i + 1]);
    }
    // The container stopping sends SIGTERM: the hold ends with it, as the build does. Its
    // client going away is what ends it otherwise, never a signal meant for others.
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    std::signal(SIGINT, SIG_IGN);
    char buf[4096];
    for (;;)
    {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    int rc = 0;
    for (const auto& needle : stop)
    {
        if (std::size_t left = base::stopMatching(needle, Poco::Timespan(3, 0)))
        {
            err << "hoist hold: " << left << " process(es) matching " << needle
                << " still run after SIGKILL\n";
            rc = 1;
        }
    }
    for (const auto& path : remove)
    {
        try
        {
            base::removeTree(path);
        }
        catch (const Poco::Exception& e)
        {
            err << "hoist hold: " << e.message() << "\n";
            rc = 1;
        }
    }
    return rc;
}

} // namespace hoist::builder
