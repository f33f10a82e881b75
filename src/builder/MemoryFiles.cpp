// This file implements files that exist only in memory: the values framed on the helper's
// stdin, and the helper's `__files` side, which puts each in a memfd at descriptor 3, 4, …,
// unpacks the build's tars, then executes the command.

#include "builder/MemoryFiles.h"

#include "base/Files.h"
#include "base/TarExtractor.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hoist::builder
{

namespace
{

// The helper's own argument before each directory to unpack.
const char* const UNPACK = "--unpack";

// Far above the descriptors the values go to, while they are being moved there.
constexpr int PARKED = 1000;
constexpr int FIRST = 3;

// Reads one framed value into a new memfd parked at PARKED or above; -1 on failure (why set).
int readValue(std::istream& in, std::string& why)
{
    unsigned char head[8];
    if (!in.read(reinterpret_cast<char*>(head), 8))
    {
        why = "stdin ended before every value";
        return -1;
    }
    std::uint64_t size = 0;
    for (unsigned char b : head)
        size = (size << 8) | b;
    int fd = ::memfd_create("hoist-file", 0);
    if (fd < 0)
    {
        why = std::string("memfd_create: ") + std::strerror(errno);
        return -1;
    }
    char buf[64 * 1024];
    while (size > 0)
    {
        const std::size_t want = size < sizeof buf ? size : sizeof buf;
        if (!in.read(buf, static_cast<std::streamsize>(want)) || !base::writeAll(fd, buf, want))
        {
            why = "a value was cut short";
            ::close(fd);
            return -1;
        }
        size -= want;
    }
    int parked = ::fcntl(fd, F_DUPFD, PARKED);
    ::close(fd);
    if (parked < 0)
        why = std::string("fcntl: ") + std::strerror(errno);
    return parked;
}

// Unpacks one tar (with both end-of-archive blocks) from in into each of dirs, each made
// mode 0700; "" or why not.
std::string unpackAll(const std::vector<std::string>& dirs, std::istream& in)
{
    try
    {
        for (const auto& dir : dirs)
        {
            base::makeDirs(dir, 0700); // the ssh relay may be making it too
            if (::chmod(dir.c_str(), 0700) != 0)
                return "cannot set the mode of " + dir + ": " + std::strerror(errno);
            base::TarExtractor extractor(dir);
            extractor.setSpecialBits(true);
            extractor.extract(in);
            // The reader stops at the first end-of-archive block; the second is the writer's.
            char block[512];
            if (!in.read(block, sizeof block))
                return "the stream ended after the files for " + dir;
        }
        return "";
    }
    catch (const Poco::Exception& e)
    {
        return e.message();
    }
    catch (const std::exception& e)
    {
        return e.what();
    }
}

} // namespace

const char* const MemoryFiles::COMMAND = "__files";

std::string MemoryFiles::path(std::size_t i)
{
    return "/proc/self/fd/" + std::to_string(FIRST + static_cast<int>(i));
}

std::vector<std::string> MemoryFiles::argv(const std::string& helper, std::size_t count,
                                           const std::vector<std::string>& cmd,
                                           const std::vector<std::string>& unpack)
{
    std::vector<std::string> a = {helper, COMMAND, std::to_string(count)};
    for (const auto& dir : unpack)
        a.insert(a.end(), {UNPACK, dir});
    a.push_back("--");
    a.insert(a.end(), cmd.begin(), cmd.end());
    return a;
}

std::string MemoryFiles::frame(const std::vector<std::string>& values)
{
    std::string out;
    for (const auto& v : values)
    {
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((static_cast<std::uint64_t>(v.size()) >> shift) & 0xff);
        out += v;
    }
    return out;
}

int MemoryFiles::main(const std::vector<std::string>& args, std::istream& in, std::ostream& err)
{
    unsigned count = 0;
    std::size_t at = 1;
    std::vector<std::string> unpack;
    while (at + 1 < args.size() && args[at] == UNPACK)
    {
        unpack.push_back(args[at + 1]);
        at += 2;
    }
    if (args.size() < at + 2 || !Poco::NumberParser::tryParseUnsigned(args[0], count) ||
        args[at] != "--" || count > 200)
    {
        err << "usage: hoist " << COMMAND << " COUNT [" << UNPACK << " DIR]... -- CMD…\n";
        return 127;
    }
    std::vector<int> parked;
    std::string why;
    for (unsigned i = 0; i < count; ++i)
    {
        int fd = readValue(in, why);
        if (fd < 0)
        {
            err << ("hoist files: " + why + "\n") << std::flush;
            return 127;
        }
        parked.push_back(fd);
    }
    const std::string unpacked = unpackAll(unpack, in);
    if (!unpacked.empty())
    {
        // At once, the rest of the stream unread: hoist stops sending when the process ends
        // (engine::Exec::run), so a full disk is said before a large context has gone.
        err << ("hoist files: cannot unpack: " + unpacked + "\n") << std::flush;
        return UNPACK_FAILED;
    }
    for (unsigned i = 0; i < count; ++i)
    {
        if (::dup2(parked[i], FIRST + static_cast<int>(i)) < 0)
        {
            err << (std::string("hoist files: dup2: ") + std::strerror(errno) + "\n") << std::flush;
            return 127;
        }
        ::close(parked[i]);
    }
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0)
        ::dup2(null, STDIN_FILENO);
    std::vector<char*> argv;
    for (std::size_t i = at + 1; i < args.size(); ++i)
        argv.push_back(const_cast<char*>(args[i].c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    // Each message in one write: its reader gets it as one piece.
    err << ("hoist files: cannot run " + args[at + 1] + ": " + std::strerror(errno) + "\n")
        << std::flush;
    return 127;
}

} // namespace hoist::builder
