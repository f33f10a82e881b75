// This file implements a build context's mirror in the builder: its manifest (listed by the
// helper, parsed by hoist), its lock and check before a change is applied, the removals of
// a change, and the week-old mirrors the listing clears.

#include "builder/Mirror.h"

#include "base/AtomicFile.h"
#include "base/Digest.h"
#include "base/Files.h"

#include <Poco/Exception.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

namespace hoist::builder
{

namespace
{

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

// Removes the mirrors in parent whose lock no build has taken for a week (and none holds).
void clearStale(const std::string& parent)
{
    const std::time_t now = std::time(nullptr);
    for (const auto& n : names(parent))
    {
        const std::string lockFile = parent + "/" + n;
        struct stat st;
        if (n.size() < 6 || n.compare(n.size() - 5, 5, ".lock") != 0 ||
            ::stat(lockFile.c_str(), &st) != 0 || now - st.st_mtime < STALE_AFTER)
            continue;
        const int fd = ::open(lockFile.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
        {
            try
            {
                const std::string dir = lockFile.substr(0, lockFile.size() - 5);
                ::unlink(manifestFile(dir).c_str());
                base::removeTree(dir);
                ::unlink(lockFile.c_str());
            }
            catch (const Poco::Exception&)
            {
                // The next listing tries again.
            }
        }
        ::close(fd);
    }
}

} // namespace

const char* const Mirror::LIST_COMMAND = "__mirror-list";

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
    // Not close-on-exec: buildctl, which the helper becomes, holds it until it ends.
    fd = ::open((dir + ".lock").c_str(), O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0)
    {
        why = "another build uses the mirror " + dir;
        if (fd >= 0)
            ::close(fd);
        fd = -1;
        return BUSY;
    }
    ::futimens(fd, nullptr); // in use: not stale
    if (Mirror::digest(current(dir)) != digest)
    {
        why = "the mirror " + dir + " changed since it was listed";
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
