// This file implements the context scan and upload. The scan keeps only paths and stat data,
// so a context of any size costs little memory; file contents are read while streaming.

#include "buildrun/ContextTar.h"

#include "base/Digest.h"

#include "base/Strings.h"
#include "base/TarWriter.h"

#include <Poco/Exception.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace hoist::buildrun
{

ContextTar ContextTar::scan(const std::string& dir, const DockerIgnore& ignore,
                            base::Problems& problems)
{
    ContextTar t;
    t._root = dir;
    t.walk("", ignore, problems);
    return t;
}

ContextTar::Item ContextTar::itemOf(const std::string& rel, const struct stat& st)
{
    Item it;
    it.rel = rel;
    it.mode = st.st_mode & 07777;
    // BuildKit's file sync tells a changed file by its mtime to the nanosecond.
    it.mtime = st.st_mtim.tv_sec;
    it.mtimeNsec = static_cast<std::uint32_t>(st.st_mtim.tv_nsec);
    return it;
}

namespace
{

// A problem with an entry that cannot be read: what it is, its path, and why.
base::Problem unreadable(const std::string& what, const std::string& path,
                         const std::string& advice = "")
{
    return {"", "cannot read " + what + base::quoted(path) + ": " + std::strerror(errno) + advice,
            ""};
}

// The names in the directory path, sorted; false when it cannot be read.
bool listDir(const std::string& path, std::vector<std::string>& names)
{
    DIR* d = ::opendir(path.c_str());
    if (!d)
        return false;
    while (struct dirent* e = ::readdir(d))
    {
        std::string n = e->d_name;
        if (n != "." && n != "..")
            names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return true;
}

} // namespace

void ContextTar::walk(const std::string& rel, const DockerIgnore& ignore, base::Problems& problems)
{
    const std::string path = rel.empty() ? _root : _root + "/" + rel;
    std::vector<std::string> names;
    if (!listDir(path, names))
    {
        problems.push_back(unreadable("the context directory ", path));
        return;
    }
    for (const auto& n : names)
    {
        const std::string childRel = rel.empty() ? n : rel + "/" + n;
        const std::string childPath = _root + "/" + childRel;
        struct stat st;
        if (::lstat(childPath.c_str(), &st) != 0)
        {
            problems.push_back(unreadable("", childPath));
            continue;
        }
        const bool excluded = ignore.excluded(childRel);
        Item it = itemOf(childRel, st);
        if (S_ISDIR(st.st_mode))
        {
            if (excluded && !ignore.mayReinclude(childRel))
                continue;
            it.type = 'd';
            const std::size_t at = _items.size();
            if (!excluded)
                _items.push_back(it);
            walk(childRel, ignore, problems);
            // An excluded directory appears only when something in it was re-included.
            if (excluded && _items.size() > at)
                _items.insert(_items.begin() + static_cast<long>(at), it);
        }
        else if (!excluded)
            addLeaf(it, childPath, st, problems);
    }
}

void ContextTar::addLeaf(Item& it, const std::string& path, const struct stat& st,
                         base::Problems& problems)
{
    if (S_ISLNK(st.st_mode))
    {
        char buf[4096];
        ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
        if (n < 0)
        {
            problems.push_back(unreadable("the link ", path));
            return;
        }
        it.type = 'l';
        it.link.assign(buf, static_cast<std::size_t>(n));
        _items.push_back(it);
    }
    else if (S_ISREG(st.st_mode))
    {
        if (::access(path.c_str(), R_OK) != 0)
        {
            problems.push_back(
                unreadable("", path, " (fix its permissions, or exclude it in .dockerignore)"));
            return;
        }
        it.size = static_cast<std::uint64_t>(st.st_size);
        _items.push_back(it);
        ++_files;
        _bytes += it.size;
    }
    // Sockets, fifos and devices are not sent, as BuildKit's file sync skips them.
}

void ContextTar::write(std::ostream& out, const std::string& prefix) const
{
    base::TarWriter tar(out);
    writeEntries(tar, prefix);
    tar.finish();
}

std::string ContextTar::digestOf(const Item& item) const
{
    auto known = _digests.find(item.rel);
    if (known != _digests.end())
        return known->second;
    std::string digest;
    try
    {
        digest = base::sha256OfFile(_root + "/" + item.rel);
    }
    catch (const Poco::Exception&)
    {
    }
    _digests[item.rel] = digest;
    return digest;
}

std::string ContextTar::wholeSecondDigest() const
{
    std::string all;
    for (const Item& it : _items)
    {
        if (it.type == 'f' && it.mtimeNsec == 0)
            all += it.rel + '\0' + digestOf(it) + '\n';
    }
    return all.empty() ? "" : base::sha256Hex(all);
}

const std::vector<ContextTar::Item>& ContextTar::items() const
{
    return _items;
}

void ContextTar::writeEntries(base::TarWriter& tar, const std::string& prefix,
                              const std::vector<bool>* only) const
{
    for (std::size_t i = 0; i < _items.size(); ++i)
    {
        if (only && !(*only)[i])
            continue;
        const Item& it = _items[i];
        base::TarWriter::Entry e;
        e.name = prefix + it.rel;
        e.mode = it.mode;
        e.mtime = it.mtime;
        e.mtimeNsec = it.mtimeNsec;
        if (it.type == 'd')
            tar.addDirectory(e);
        else if (it.type == 'l')
            tar.addSymlink(e, it.link);
        else
        {
            std::ifstream in(_root + "/" + it.rel, std::ios::binary);
            if (!in)
                throw Poco::OpenFileException("cannot open the context file", _root + "/" + it.rel);
            tar.addFile(e, it.size, in);
        }
    }
}

std::size_t ContextTar::files() const
{
    return _files;
}

std::uint64_t ContextTar::bytes() const
{
    return _bytes;
}

} // namespace hoist::buildrun
