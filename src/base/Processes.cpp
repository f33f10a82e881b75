// This file implements finding and stopping local processes by their command line, read from
// /proc: SIGINT first, SIGKILL for those still running after the grace period.

#include "base/Processes.h"

#include "base/Files.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <csignal>
#include <unistd.h>

namespace hoist::base
{

namespace
{

std::string commandLine(const std::string& pid)
{
    std::string text = readFileIfExists("/proc/" + pid + "/cmdline").value_or(""); // "": gone
    std::replace(text.begin(), text.end(), '\0', ' ');
    return text;
}

std::size_t stillRunning(std::vector<int>& pids, Poco::Timespan wait)
{
    Poco::Timestamp started;
    for (;;)
    {
        pids.erase(
            std::remove_if(pids.begin(), pids.end(), [](int pid) { return ::kill(pid, 0) != 0; }),
            pids.end());
        if (pids.empty() || started.isElapsed(wait.totalMicroseconds()))
            return pids.size();
        Poco::Thread::sleep(50);
    }
}

} // namespace

std::vector<int> processesMatching(const std::string& needle)
{
    std::vector<int> pids;
    const int self = ::getpid();
    for (Poco::DirectoryIterator it(std::string("/proc")), end; it != end; ++it)
    {
        int pid = 0;
        if (!Poco::NumberParser::tryParse(it.name(), pid) || pid == self)
            continue;
        if (commandLine(it.name()).find(needle) != std::string::npos)
            pids.push_back(pid);
    }
    return pids;
}

std::size_t stopMatching(const std::string& needle, Poco::Timespan grace)
{
    std::vector<int> pids = processesMatching(needle);
    for (int pid : pids)
        ::kill(pid, SIGINT);
    if (stillRunning(pids, grace) == 0)
        return 0;
    for (int pid : pids)
        ::kill(pid, SIGKILL);
    return stillRunning(pids, Poco::Timespan(1, 0));
}

} // namespace hoist::base
