// This file implements files that exist only in memory: the values framed on the helper's
// stdin, and the helper's `__files` side, which puts each in a memfd at descriptor 3, 4, …,
// unpacks the build's tars, then executes the command (or runs it, to report the files it
// wrote for hoist once it ends).

#include "builder/MemoryFiles.h"

#include "base/Base64.h"
#include "base/Files.h"
#include "base/TarExtractor.h"
#include "builder/Mirror.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hoist::builder
{

namespace
{

// The helper's own arguments before each directory to unpack, and each mirror.
const char* const UNPACK = "--unpack";
const char* const MIRROR = "--mirror";

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

// Reads one framed value (MemoryFiles::frame) into a string; false when stdin ends first.
bool readText(std::istream& in, std::string& text)
{
    unsigned char head[8];
    if (!in.read(reinterpret_cast<char*>(head), 8))
        return false;
    std::uint64_t size = 0;
    for (unsigned char b : head)
        size = (size << 8) | b;
    text.assign(static_cast<std::size_t>(size), '\0');
    return size == 0 || in.read(&text[0], static_cast<std::streamsize>(size));
}

// Unpacks one tar (with both end-of-archive blocks) from in into dir; "" or why not.
std::string unpackOne(const std::string& dir, std::istream& in)
{
    base::TarExtractor extractor(dir);
    extractor.setSpecialBits(true);
    extractor.extract(in);
    // The reader stops at the first end-of-archive block; the second is the writer's.
    char block[512];
    if (!in.read(block, sizeof block))
        return "the stream ended after the files for " + dir;
    return "";
}

// Removes a mirror that could not take its change; a failure is left to the week-stale
// clearing.
void removeQuietly(const std::string& dir)
{
    try
    {
        base::removeTree(dir);
    }
    catch (const Poco::Exception&)
    {
    }
}

// Applies a mirror's change: its removals, then its tar, then keeps its new manifest. The mirror
// was locked and checked; one that cannot take the whole change is removed (the next build of
// the context sends it whole).
std::string applyMirror(const std::string& dir, std::istream& in)
{
    std::string removals;
    std::string manifest;
    if (!readText(in, removals) || !readText(in, manifest))
        return "the stream ended before the mirror's removals and manifest";
    std::string why;
    try
    {
        base::makeDirs(dir, 0700);
        why = Mirror::forget(dir);
        if (why.empty())
            why = Mirror::remove(dir, removals);
        if (why.empty())
            why = unpackOne(dir, in);
        if (why.empty())
            why = Mirror::keep(dir, manifest);
    }
    catch (const Poco::Exception& e)
    {
        why = e.message();
    }
    catch (const std::exception& e)
    {
        why = e.what();
    }
    if (!why.empty())
        removeQuietly(dir); // half a change, a full disk most likely: its space is freed
    return why;
}

// Unpacks one tar from in into each of items, in order: a directory made mode 0700, or a mirror
// changed in place, its lock's descriptor added to locks; where the builder's memory is short,
// other mirrors there give way first (never this build's own). "" or why not; mirror is set to
// Mirror::BUSY or STALE for a mirror that cannot be changed (nothing of its part read).
std::string unpackAll(const std::vector<Unpack>& items, std::istream& in, int& mirror,
                      std::vector<int>& locks)
{
    std::string own;
    for (const auto& item : items)
    {
        if (!item.mirrorDigest.empty())
            own = item.dir;
    }
    try
    {
        for (const auto& item : items)
        {
            if (!item.mirrorDigest.empty())
            {
                std::string why;
                int fd = -1;
                if ((mirror = Mirror::lock(item.dir, item.mirrorDigest, fd, why)) != 0)
                    return why;
                locks.push_back(fd);
                Mirror::makeRoomFor(item.dir, item.dir);
                const std::string applied = applyMirror(item.dir, in);
                if (!applied.empty())
                    return applied;
                continue;
            }
            Mirror::makeRoomFor(item.dir, own);
            base::makeDirs(item.dir, 0700); // the ssh relay may be making it too
            if (::chmod(item.dir.c_str(), 0700) != 0)
                return "cannot set the mode of " + item.dir + ": " + std::strerror(errno);
            const std::string unpacked = unpackOne(item.dir, in);
            if (!unpacked.empty())
                return unpacked;
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

// The directories and mirrors of the helper's arguments from at on; at is left after them.
std::vector<Unpack> unpackArgs(const std::vector<std::string>& args, std::size_t& at)
{
    std::vector<Unpack> unpack;
    for (;;)
    {
        if (at + 1 < args.size() && args[at] == UNPACK)
        {
            unpack.push_back(Unpack::into(args[at + 1]));
            at += 2;
        }
        else if (at + 2 < args.size() && args[at] == MIRROR)
        {
            unpack.push_back({args[at + 1], args[at + 2]});
            at += 3;
        }
        else
            return unpack;
    }
}

// The files CMD writes for hoist, named by its arguments: buildctl's metadata and ref files.
std::vector<std::string> reportedPaths(const std::vector<std::string>& args, std::size_t from)
{
    std::vector<std::string> paths;
    for (std::size_t i = from; i + 1 < args.size(); ++i)
    {
        if (args[i] == "--metadata-file" || args[i] == "--ref-file")
            paths.push_back(args[i + 1]);
    }
    return paths;
}

volatile sig_atomic_t running = 0; // the command the helper waits for, to pass signals on to
constexpr int PASSED[] = {SIGTERM, SIGINT, SIGHUP};

void passOn(int signal)
{
    if (running > 0)
        ::kill(static_cast<pid_t>(running), signal);
}

// Each of paths as the line MemoryFiles::REPORTED describes, after a newline of its own: the
// command's last line may have none.
void report(const std::vector<std::string>& paths, std::ostream& err)
{
    std::string lines = "\n";
    for (const auto& path : paths)
    {
        Poco::JSON::Object file(Poco::JSON_PRESERVE_KEY_ORDER);
        file.set("path", path);
        std::ifstream in(path, std::ios::binary);
        if (in)
        {
            std::ostringstream content;
            content << in.rdbuf(); // an empty file sets content's failbit, nothing more
            file.set("data", base::toBase64(content.str()));
        }
        Poco::JSON::Object line;
        line.set(MemoryFiles::REPORTED, file);
        std::ostringstream text;
        line.stringify(text);
        lines += text.str() + "\n";
    }
    err << lines << std::flush; // one write: one piece for its reader
}

// The child's side: the dispositions and mask it had, then the command.
[[noreturn]] void runChild(std::vector<char*>& argv, const sigset_t& mask, std::ostream& err)
{
    for (int signal : PASSED)
        std::signal(signal, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    ::execvp(argv[0], argv.data());
    err << (std::string("hoist files: cannot run ") + argv[0] + ": " + std::strerror(errno) + "\n")
        << std::flush;
    ::_exit(127);
}

// Runs argv as a child, signals passed on to it (blocked until it is known, so none is lost),
// then reports paths; returns its exit code. The dispositions are as before on return.
int runAndReport(std::vector<char*>& argv, const std::vector<std::string>& paths, std::ostream& err)
{
    sigset_t block;
    sigset_t mask;
    ::sigemptyset(&block);
    for (int signal : PASSED)
        ::sigaddset(&block, signal);
    ::sigprocmask(SIG_BLOCK, &block, &mask);
    const pid_t child = ::fork();
    if (child == 0)
        runChild(argv, mask, err);
    struct sigaction pass = {};
    pass.sa_handler = passOn;
    ::sigemptyset(&pass.sa_mask);
    struct sigaction saved[3] = {};
    running = child;
    for (int i = 0; i < 3 && child > 0; ++i)
        ::sigaction(PASSED[i], &pass, &saved[i]);
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    if (child < 0)
    {
        err << (std::string("hoist files: fork: ") + std::strerror(errno) + "\n") << std::flush;
        return 127;
    }
    int status = 0;
    pid_t waited;
    while ((waited = ::waitpid(child, &status, 0)) < 0 && errno == EINTR)
    {
    }
    const int waitError = errno;
    running = 0;
    for (int i = 0; i < 3; ++i)
        ::sigaction(PASSED[i], &saved[i], nullptr);
    if (waited < 0)
    {
        err << (std::string("hoist files: waitpid: ") + std::strerror(waitError) + "\n")
            << std::flush;
        return 127;
    }
    report(paths, err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

const char* const MemoryFiles::COMMAND = "__files";
const char* const MemoryFiles::REPORTED = "hoist.file";

std::string MemoryFiles::path(std::size_t i)
{
    return "/proc/self/fd/" + std::to_string(FIRST + static_cast<int>(i));
}

std::vector<std::string> MemoryFiles::argv(const std::string& helper, std::size_t count,
                                           const std::vector<std::string>& cmd,
                                           const std::vector<Unpack>& unpack)
{
    std::vector<std::string> a = {helper, COMMAND, std::to_string(count)};
    for (const auto& u : unpack)
    {
        if (u.mirrorDigest.empty())
            a.insert(a.end(), {UNPACK, u.dir});
        else
            a.insert(a.end(), {MIRROR, u.dir, u.mirrorDigest});
    }
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
    const std::vector<Unpack> unpack = unpackArgs(args, at);
    if (args.size() < at + 2 || !Poco::NumberParser::tryParseUnsigned(args[0], count) ||
        args[at] != "--" || count > 200)
    {
        err << "usage: hoist " << COMMAND << " COUNT [" << UNPACK << " DIR | " << MIRROR
            << " DIR DIGEST]... -- CMD…\n";
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
    int mirror = 0;
    std::vector<int> locks; // the mirrors': held by CMD until it ends, let go if it cannot run
    struct Unlock
    {
        std::vector<int>& fds;
        ~Unlock()
        {
            for (int fd : fds)
                ::close(fd);
        }
    } unlock{locks};
    const std::string unpacked = unpackAll(unpack, in, mirror, locks);
    if (!unpacked.empty() && mirror != 0)
    {
        err << ("hoist files: mirror: " + unpacked + "\n") << std::flush;
        return mirror;
    }
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
    const std::vector<std::string> reported = reportedPaths(args, at + 1);
    if (!reported.empty())
        return runAndReport(argv, reported, err);
    ::execvp(argv[0], argv.data());
    // Each message in one write: its reader gets it as one piece.
    err << ("hoist files: cannot run " + args[at + 1] + ": " + std::strerror(errno) + "\n")
        << std::flush;
    return 127;
}

} // namespace hoist::builder
