// This file implements file operations that check every step and never follow a symlink.

#include "base/Files.h"

#include <Poco/Path.h>
#include <cstdlib>

#include "base/Strings.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace hoist::base
{

namespace
{

std::string reason()
{
    return std::strerror(errno);
}

// Opens the directory name under dirFd without following it; -1 with errno when it fails.
int openDir(int dirFd, const std::string& name)
{
    return ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

std::vector<std::string> entries(int fd, const std::string& shown)
{
    int copy = ::dup(fd);
    DIR* d = copy < 0 ? nullptr : ::fdopendir(copy);
    if (!d)
    {
        if (copy >= 0)
            ::close(copy);
        throw Poco::FileException("cannot list " + shown + ": " + reason());
    }
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d))
    {
        std::string n = e->d_name;
        if (n != "." && n != "..")
            names.push_back(n);
    }
    ::closedir(d);
    return names;
}

} // namespace

bool writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0)
    {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void appendFile(const std::string& path, const std::string& content, const std::string& what)
{
    const std::string name = what.empty() ? path : what + " " + path;
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Poco::WriteFileException("cannot write " + name + ": " + reason());
    if (!writeAll(fd, content.data(), content.size()))
    {
        const std::string why = reason();
        ::close(fd);
        throw Poco::WriteFileException("cannot write " + name + ": " + why);
    }
    if (::close(fd) != 0)
        throw Poco::WriteFileException("cannot write " + name + ": " + reason());
}

void removeAt(int dirFd, const std::string& name, const std::string& shown)
{
    struct stat st;
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    {
        if (errno == ENOENT)
            return;
        throw Poco::FileException("cannot remove " + shown + ": " + reason());
    }
    if (S_ISDIR(st.st_mode))
    {
        int fd = openDir(dirFd, name);
        if (fd < 0)
            throw Poco::FileException("cannot remove " + shown + ": " + reason());
        try
        {
            for (const auto& n : entries(fd, shown))
                removeAt(fd, n, shown + "/" + n);
        }
        catch (...)
        {
            ::close(fd);
            throw;
        }
        ::close(fd);
    }
    if (::unlinkat(dirFd, name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0 &&
        errno != ENOENT)
        throw Poco::FileException("cannot remove " + shown + ": " + reason());
}

void removeTree(const std::string& path)
{
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    const std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
    {
        if (errno == ENOENT)
            return;
        throw Poco::FileException("cannot remove " + path + ": " + reason());
    }
    try
    {
        if (!last.empty() && last.back() == '*')
        {
            const std::string prefix = last.substr(0, last.size() - 1);
            for (const auto& n : entries(fd, dir))
            {
                if (startsWith(n, prefix))
                    removeAt(fd, n, dir + "/" + n);
            }
        }
        else if (!last.empty())
            removeAt(fd, last, path);
    }
    catch (...)
    {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

void makeDirs(const std::string& path, unsigned mode)
{
    for (std::size_t at = path.find('/', 1);; at = path.find('/', at + 1))
    {
        const std::string part = path.substr(0, at);
        if (!part.empty() && ::mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
            throw Poco::CreateFileException("cannot create " + part + ": " + std::strerror(errno));
        if (at == std::string::npos)
            return;
    }
}

std::string makePrivateDir(const std::string& what)
{
    std::string pattern = Poco::Path::temp() + "hoist-" + what + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw Poco::CreateFileException("cannot make a private directory in " + Poco::Path::temp() +
                                        ": " + std::strerror(errno));
    return pattern;
}

std::string readFile(const std::string& path)
{
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    if (in.bad())
        throw Poco::ReadFileException(path);
    return text;
}

std::optional<std::string> readFileIfExists(const std::string& path)
{
    try
    {
        return readFile(path);
    }
    catch (const Poco::Exception&)
    {
        return std::nullopt;
    }
}

std::string cacheDir(const Env& env)
{
    const std::string xdg = env.getOr("XDG_CACHE_HOME", "");
    return (xdg.empty() ? env.getOr("HOME", "/root") + "/.cache" : xdg) + "/hoist";
}

} // namespace hoist::base
