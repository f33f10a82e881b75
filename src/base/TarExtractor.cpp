// This file implements extraction that never follows a symlink (the openat/O_NOFOLLOW
// discipline of tar --no-overwrite-dir and BuildKit's fsutil receiver).

#include "base/TarExtractor.h"

#include "base/Files.h"
#include "base/Strings.h"
#include "base/TarReader.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/StreamCopier.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <vector>

namespace hoist::base
{

namespace
{

constexpr std::uint64_t LAST_LIMIT = 16ull << 20;
constexpr int DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

std::string reason()
{
    return std::strerror(errno);
}

// A file descriptor closed when it goes.
class Fd
{
public:
    explicit Fd(int fd = -1) : _fd(fd) {}
    ~Fd()
    {
        if (_fd >= 0)
            ::close(_fd);
    }
    Fd(Fd&& o) noexcept : _fd(o._fd) { o._fd = -1; }
    Fd& operator=(Fd&& o) noexcept
    {
        std::swap(_fd, o._fd);
        return *this;
    }
    int get() const { return _fd; }
    int release()
    {
        int fd = _fd;
        _fd = -1;
        return fd;
    }

private:
    int _fd;
};

// The components of a tar name under the directory; empty when the name must not be written
// (it is the directory itself, or climbs out of it).
std::vector<std::string> components(const std::string& name)
{
    std::vector<std::string> out;
    for (const auto& c : split(name, '/'))
    {
        if (c.empty() || c == ".")
            continue;
        if (c == "..")
            return {};
        out.push_back(c);
    }
    return out;
}

std::string joined(const std::string& dir, const std::vector<std::string>& comps, std::size_t n)
{
    std::string path = dir;
    for (std::size_t i = 0; i < n; ++i)
        path += "/" + comps[i];
    return path;
}

// Removes what is at parent/name, whatever it is, without following it.
void removeEntry(int parent, const std::string& name, const std::string& path)
{
    removeAt(parent, name, path);
}

// Opens the directory comps[0..n) under root, making what is missing and replacing whatever
// is there that is not a real directory (a symlink is never entered).
Fd openDirs(int root, const std::vector<std::string>& comps, std::size_t n, const std::string& dir)
{
    Fd cur(::dup(root));
    for (std::size_t i = 0; i < n; ++i)
    {
        const char* c = comps[i].c_str();
        int fd = ::openat(cur.get(), c, DIR_FLAGS);
        if (fd < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
            throw Poco::FileException("cannot open " + joined(dir, comps, i + 1) + ": " + reason());
        if (fd < 0)
        {
            if (errno != ENOENT)
                removeEntry(cur.get(), comps[i], joined(dir, comps, i + 1));
            if (::mkdirat(cur.get(), c, 0755) != 0 && errno != EEXIST)
                throw Poco::CreateFileException("cannot create " + joined(dir, comps, i + 1) +
                                                ": " + reason());
            fd = ::openat(cur.get(), c, DIR_FLAGS);
            if (fd < 0)
                throw Poco::FileException("cannot open " + joined(dir, comps, i + 1) + ": " +
                                          reason());
        }
        cur = Fd(fd);
    }
    return cur;
}

// An entry's modification time, set as its access time too.
struct Times
{
    std::int64_t sec;
    std::uint32_t nsec;
};

Times timesOf(const TarReader::Entry& e)
{
    return {e.mtime, e.mtimeNsec};
}

void toTimespecs(Times t, struct timespec (&ts)[2])
{
    ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(t.sec);
    ts[0].tv_nsec = ts[1].tv_nsec = static_cast<long>(t.nsec);
}

void setTimes(int parent, const std::string& name, Times t, int flags)
{
    struct timespec ts[2];
    toTimespecs(t, ts);
    ::utimensat(parent, name.c_str(), ts, flags); // information only
}

void writeAll(int fd, const char* data, std::size_t size, const std::string& path)
{
    if (!base::writeAll(fd, data, size))
        throw Poco::WriteFileException("cannot write " + path + ": " + reason());
}

// Writes a regular file at parent/leaf from data, replacing what was there; mode is set as
// it is (the caller masked it).
void writeFile(int parent, const std::string& leaf, std::istream& data, unsigned mode, Times mtime,
               const std::string& path)
{
    removeEntry(parent, leaf, path);
    Fd fd(
        ::openat(parent, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        throw Poco::CreateFileException("cannot create " + path + ": " + reason());
    std::vector<char> buf(64 * 1024);
    while (data)
    {
        data.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (data.gcount() > 0)
            writeAll(fd.get(), buf.data(), static_cast<std::size_t>(data.gcount()), path);
    }
    if (::fchmod(fd.get(), mode) != 0)
        throw Poco::WriteFileException("cannot set the mode of " + path + ": " + reason());
    // close() is where some file systems report a full disk.
    if (::close(fd.release()) != 0)
        throw Poco::WriteFileException("cannot write " + path + ": " + reason());
    setTimes(parent, leaf, mtime, AT_SYMLINK_NOFOLLOW);
}

struct Held
{
    std::vector<std::string> comps;
    std::string content;
    unsigned mode;
    Times mtime;
};

struct DirMeta
{
    std::vector<std::string> comps;
    unsigned mode;
    Times mtime;
};

} // namespace

TarExtractor::TarExtractor(std::string dir, std::set<std::string> last)
    : _dir(std::move(dir)), _last(std::move(last))
{
}

// One extraction: the destination's descriptor, and what is written at the end.
struct TarExtractor::Run
{
    Run(const std::string& d, const std::set<std::string>& l, Fd r, unsigned m)
        : dir(d), last(l), root(std::move(r)), mask(m)
    {
    }

    const std::string& dir;
    const std::set<std::string>& last;
    Fd root;
    unsigned mask;
    std::size_t files = 0;
    std::vector<Held> held;
    std::vector<DirMeta> dirs;

    void entry(TarReader::Entry& e)
    {
        std::vector<std::string> comps = components(e.name);
        if (comps.empty())
            return;
        const std::string path = joined(dir, comps, comps.size());
        if (e.type == '5')
        {
            openDirs(root.get(), comps, comps.size(), dir);
            dirs.push_back({comps, e.mode & mask, timesOf(e)});
            return;
        }
        Fd parent = openDirs(root.get(), comps, comps.size() - 1, dir);
        const std::string& leaf = comps.back();
        const bool regular = e.type == '0' || e.type == '7';
        if (regular && last.count(path.substr(dir.size() + 1)) && e.size <= LAST_LIMIT)
        {
            Held h{comps, "", e.mode & mask, timesOf(e)};
            Poco::StreamCopier::copyToString(*e.data, h.content);
            held.push_back(std::move(h));
        }
        else if (regular)
        {
            writeFile(parent.get(), leaf, *e.data, e.mode & mask, timesOf(e), path);
            ++files;
        }
        else if (e.type == '2')
            symlink(parent.get(), leaf, e, path);
        else if (e.type == '1')
            hardlink(parent.get(), leaf, e, path);
    }

    void symlink(int parent, const std::string& leaf, const TarReader::Entry& e,
                 const std::string& path)
    {
        removeEntry(parent, leaf, path);
        if (::symlinkat(e.link.c_str(), parent, leaf.c_str()) != 0)
            throw Poco::CreateFileException("cannot create the link " + path + ": " + reason());
        setTimes(parent, leaf, timesOf(e), AT_SYMLINK_NOFOLLOW);
    }

    void hardlink(int parent, const std::string& leaf, const TarReader::Entry& e,
                  const std::string& path)
    {
        std::vector<std::string> target = components(e.link);
        if (target.empty())
            return;
        Fd tparent = openDirs(root.get(), target, target.size() - 1, dir);
        removeEntry(parent, leaf, path);
        if (::linkat(tparent.get(), target.back().c_str(), parent, leaf.c_str(), 0) != 0)
            throw Poco::CreateFileException("cannot create the link " + path + ": " + reason());
    }

    // The held files, then directories deepest first: their modes may forbid writing in them.
    void finish()
    {
        for (auto& h : held)
        {
            Fd parent = openDirs(root.get(), h.comps, h.comps.size() - 1, dir);
            std::istringstream data(h.content);
            writeFile(parent.get(), h.comps.back(), data, h.mode, h.mtime,
                      joined(dir, h.comps, h.comps.size()));
            ++files;
        }
        for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
        {
            Fd d = openDirs(root.get(), it->comps, it->comps.size(), dir);
            ::fchmod(d.get(), it->mode);
            struct timespec ts[2];
            toTimespecs(it->mtime, ts);
            ::futimens(d.get(), ts);
        }
    }
};

void TarExtractor::setSpecialBits(bool keep)
{
    _modeMask = keep ? 07777 : 0777;
}

std::size_t TarExtractor::extract(std::istream& in)
{
    try
    {
        Poco::File(_dir).createDirectories();
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::CreateFileException("cannot create " + _dir + ": " + e.message());
    }
    Run run(_dir, _last, Fd(::open(_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)), _modeMask);
    if (run.root.get() < 0)
        throw Poco::FileException("cannot open " + _dir + ": " + reason());
    TarReader::read(in, [&](TarReader::Entry& e) { run.entry(e); });
    run.finish();
    return run.files;
}

} // namespace hoist::base
