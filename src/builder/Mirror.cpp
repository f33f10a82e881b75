// This file implements a build context's mirror in the builder: its manifest (listed by the
// helper, parsed by hoist), its lock and check before a change is applied, the removals of
// a change, the week-old mirrors the listing clears, and the mirrors in the builder's memory
// that give way to builds there.

#include "builder/Mirror.h"

#include "base/AtomicFile.h"
#include "base/Digest.h"
#include "base/Files.h"

#include <Poco/Exception.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <sstream>

namespace hoist::builder
{

namespace
{

// The directory under a root that holds its mirrors.
const char* const MIRRORS = "hoist-mirror";

// Mirrors no build has locked for this long are removed by the next listing beside them.
const std::time_t STALE_AFTER = 7 * 24 * 3600;

std::vector<std::string> names(const std::string& dir)
{
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return out;
    while (struct dirent* e = ::readdir(d))
    {
        const std::string n = e->d_name;
        if (n != "." && n != "..")
            out.push_back(n);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

void line(std::ostream& out, const Mirror::Entry& e)
{
    out << e.type << ' ' << e.mode << ' ' << (e.type == 'f' ? e.size : 0) << ' ' << e.mtime << ' '
        << e.mtimeNsec << ' ' << e.path.size() << ':' << e.path << ' ' << e.link.size() << ':'
        << e.link << ' ' << e.hash.size() << ':' << e.hash << '\n';
}

void line(std::ostream& out, char type, const struct stat& st, const std::string& rel,
          const std::string& link, const std::string& hash)
{
    Mirror::Entry e;
    e.type = type;
    e.mode = st.st_mode & 07777;
    e.size = static_cast<std::uint64_t>(st.st_size);
    e.mtime = st.st_mtim.tv_sec;
    e.mtimeNsec = static_cast<std::uint32_t>(st.st_mtim.tv_nsec);
    e.path = rel;
    e.link = link;
    e.hash = hash;
    line(out, e);
}

bool isDir(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string manifestFile(const std::string& dir)
{
    return dir + ".manifest";
}

// A file's content digest where its stat cannot tell two versions apart; "" elsewhere, and for a
// file that cannot be read (the build sends it again).
std::string hashWhereNeeded(const std::string& path, const struct stat& st)
{
    if (st.st_mtim.tv_nsec != 0)
        return "";
    try
    {
        return base::sha256OfFile(path);
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}

void walk(const std::string& root, const std::string& rel, std::ostream& out)
{
    for (const auto& n : names(rel.empty() ? root : root + "/" + rel))
    {
        const std::string child = rel.empty() ? n : rel + "/" + n;
        const std::string path = root + "/" + child;
        struct stat st;
        if (::lstat(path.c_str(), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
        {
            line(out, 'd', st, child, "", "");
            walk(root, child, out);
        }
        else if (S_ISLNK(st.st_mode))
        {
            char buf[4096];
            const ssize_t len = ::readlink(path.c_str(), buf, sizeof buf);
            line(out, 'l', st, child, std::string(buf, len > 0 ? static_cast<std::size_t>(len) : 0),
                 "");
        }
        else if (S_ISREG(st.st_mode))
            line(out, 'f', st, child, "", hashWhereNeeded(path, st));
    }
}

std::string counted(std::istream& in)
{
    std::size_t len = 0;
    char colon = 0;
    if (!(in >> len) || !in.get(colon) || colon != ':')
        throw Poco::DataFormatException("a mirror's manifest: a length is missing");
    std::string s(len, '\0');
    if (len && !in.read(&s[0], static_cast<std::streamsize>(len)))
        throw Poco::DataFormatException("a mirror's manifest: an entry is cut short");
    return s;
}

// Returns true when fd, locked, is still the file named path: not one removed meanwhile by a
// build that made room (whose mirror another build may have made and locked anew since).
bool stillNamed(int fd, const std::string& path)
{
    struct stat held;
    struct stat named;
    return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
           held.st_ino == named.st_ino && held.st_dev == named.st_dev;
}

// Removes the mirror dir, its manifest and its lock, unless a build holds it. Returns true when
// it is gone.
bool evict(const std::string& dir)
{
    const std::string lockFile = dir + ".lock";
    const int fd = ::open(lockFile.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool gone = false;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && stillNamed(fd, lockFile))
    {
        try
        {
            ::unlink(manifestFile(dir).c_str());
            base::removeTree(dir);
            ::unlink(lockFile.c_str());
            gone = true;
        }
        catch (const Poco::Exception&)
        {
            // The next clearing tries again.
        }
    }
    ::close(fd);
    return gone;
}

// A mirror in parent, told by its lock, and when a build last locked it.
struct Kept
{
    std::string dir;
    struct timespec used;
};

// The mirrors in parent, least recently used first.
std::vector<Kept> mirrorsIn(const std::string& parent)
{
    std::vector<Kept> kept;
    for (const auto& n : names(parent))
    {
        struct stat st;
        const std::string lockFile = parent + "/" + n;
        if (n.size() > 5 && n.compare(n.size() - 5, 5, ".lock") == 0 &&
            ::stat(lockFile.c_str(), &st) == 0)
            kept.push_back({lockFile.substr(0, lockFile.size() - 5), st.st_mtim});
    }
    std::sort(kept.begin(), kept.end(),
              [](const Kept& a, const Kept& b)
              {
                  return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec
                                                        : a.used.tv_nsec < b.used.tv_nsec;
              });
    return kept;
}

// Removes the mirrors in parent whose lock no build has taken for a week (and none holds).
void clearStale(const std::string& parent)
{
    const std::time_t now = std::time(nullptr);
    for (const auto& m : mirrorsIn(parent))
    {
        if (now - m.used.tv_sec >= STALE_AFTER)
            evict(m.dir);
    }
}

// The bytes free where dir is; as many as can be when that cannot be told (nothing is removed
// for room that may be there).
std::uint64_t freeBytes(const std::string& dir)
{
    struct statvfs fs;
    if (::statvfs(dir.c_str(), &fs) != 0)
        return UINT64_MAX;
    return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

// Opens and locks dir's lock file; -1 with why when it cannot (another build holds it, or the
// file cannot be opened). A lock taken on a file that was removed meanwhile (a build making
// room) is taken again on the new one.
int lockFileOf(const std::string& dir, std::string& why)
{
    const std::string lockFile = dir + ".lock";
    why = "another build uses the mirror " + dir;
    for (int tries = 0; tries < 3; ++tries)
    {
        // Not close-on-exec: buildctl, which the helper becomes, holds it until it ends.
        const int fd = ::open(lockFile.c_str(), O_RDWR | O_CREAT, 0600);
        if (fd < 0)
        {
            why = "cannot open " + lockFile + ": " + std::strerror(errno);
            return -1;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            ::close(fd);
            return -1;
        }
        if (stillNamed(fd, lockFile))
            return fd;
        ::close(fd);
    }
    return -1;
}

} // namespace

const char* const Mirror::LIST_COMMAND = "__mirror-list";

std::string Mirror::in(const std::string& root, const std::string& key)
{
    return root + "/" + MIRRORS + "/" + key;
}

std::string Mirror::list(const std::string& dir)
{
    std::ostringstream out;
    if (isDir(dir))
        walk(dir, "", out);
    return out.str();
}

std::string Mirror::format(const std::vector<Entry>& entries)
{
    std::ostringstream out;
    for (const Entry& e : entries)
        line(out, e);
    return out.str();
}

std::string Mirror::current(const std::string& dir)
{
    if (!isDir(dir))
        return "";
    if (auto kept = base::readFileIfExists(manifestFile(dir)))
        return *kept;
    return list(dir);
}

std::string Mirror::forget(const std::string& dir)
{
    if (::unlink(manifestFile(dir).c_str()) != 0 && errno != ENOENT)
        return "cannot remove " + manifestFile(dir) + ": " + std::strerror(errno);
    return "";
}

std::string Mirror::keep(const std::string& dir, const std::string& manifest)
{
    try
    {
        base::AtomicFile::put(manifestFile(dir), manifest, 0600);
        return "";
    }
    catch (const Poco::Exception& e)
    {
        return e.message();
    }
}

std::vector<Mirror::Entry> Mirror::parse(const std::string& manifest)
{
    std::vector<Entry> entries;
    std::istringstream in(manifest);
    while (in >> std::ws && in.peek() != EOF)
    {
        Entry e;
        if (!(in >> e.type >> e.mode >> e.size >> e.mtime >> e.mtimeNsec) ||
            (e.type != 'f' && e.type != 'd' && e.type != 'l'))
            throw Poco::DataFormatException("a mirror's manifest: a malformed entry");
        in >> std::ws;
        e.path = counted(in);
        in >> std::ws;
        e.link = counted(in);
        in >> std::ws;
        e.hash = counted(in);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string Mirror::digest(const std::string& manifest)
{
    return base::sha256Hex(manifest);
}

int Mirror::lock(const std::string& dir, const std::string& digest, int& fd, std::string& why)
{
    fd = -1;
    try
    {
        base::makeDirs(dir.substr(0, dir.rfind('/')), 0700);
    }
    catch (const Poco::Exception& e)
    {
        why = e.message();
        return BUSY;
    }
    fd = lockFileOf(dir, why);
    if (fd < 0)
        return BUSY;
    ::futimens(fd, nullptr); // in use: not stale
    if (Mirror::digest(current(dir)) != digest)
    {
        why = "the mirror " + dir + " is not the one the change was told from";
        ::close(fd);
        fd = -1;
        return STALE;
    }
    return 0;
}

std::string Mirror::remove(const std::string& dir, const std::string& paths)
{
    std::string::size_type at = 0;
    while (at < paths.size())
    {
        std::string::size_type end = paths.find('\0', at);
        if (end == std::string::npos)
            end = paths.size();
        const std::string rel = paths.substr(at, end - at);
        at = end + 1;
        if (rel.empty())
            continue;
        if (rel[0] == '/' || ("/" + rel + "/").find("/../") != std::string::npos)
            return "refusing to remove " + rel + " from the mirror";
        try
        {
            base::removeTree(dir + "/" + rel);
        }
        catch (const Poco::Exception& e)
        {
            return e.message();
        }
    }
    return "";
}

std::vector<std::string> Mirror::makeRoom(const std::string& parent, const std::string& except,
                                          std::size_t othersMax, std::uint64_t freeMin)
{
    std::vector<Kept> others = mirrorsIn(parent);
    others.erase(std::remove_if(others.begin(), others.end(),
                                [&](const Kept& m) { return m.dir == except; }),
                 others.end());
    std::vector<std::string> removed;
    // Mirrors other builds hold count, and stay: idle ones go in their place.
    std::size_t left = others.size();
    for (const auto& m : others)
    {
        if (left <= othersMax && freeBytes(parent) >= freeMin)
            break;
        if (evict(m.dir))
        {
            removed.push_back(m.dir);
            --left;
        }
    }
    return removed;
}

void Mirror::makeRoomFor(const std::string& dir, const std::string& except)
{
    const std::string memory = std::string(MEMORY_ROOT) + "/";
    if (dir.compare(0, memory.size(), memory) != 0)
        return;
    try
    {
        makeRoom(memory + MIRRORS, except, MEMORY_MIRRORS, MEMORY_ROOM);
    }
    catch (...)
    {
        // Room not made: the unpack says so if it runs out of it.
    }
}

int Mirror::listMain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.size() != 1 || args[0].empty() || args[0][0] != '/')
    {
        err << "usage: hoist " << LIST_COMMAND << " DIR\n";
        return 1;
    }
    out << current(args[0]) << std::flush;
    clearStale(args[0].substr(0, args[0].rfind('/')));
    return 0;
}

} // namespace hoist::builder
