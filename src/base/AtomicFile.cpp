// This file implements files written in full or not at all: a temporary file beside the
// destination, every write checked, fsync'd and renamed into place on commit.

#include "base/AtomicFile.h"

#include "base/Strings.h"

#include <Poco/Exception.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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

} // namespace

AtomicFile::AtomicFile(std::string path, unsigned mode) : _path(std::move(path))
{
    _tmp = _path + ".hoist-" + randomHex(8) + ".tmp";
    _fd = ::open(_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 static_cast<mode_t>(mode));
    if (_fd < 0)
        throw Poco::CreateFileException("cannot write " + _path + ": " + reason());
}

AtomicFile::~AtomicFile()
{
    if (_fd >= 0)
        ::close(_fd);
    if (!_committed)
        ::unlink(_tmp.c_str());
}

void AtomicFile::write(const char* data, std::size_t size)
{
    while (size > 0)
    {
        ssize_t n = ::write(_fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Poco::WriteFileException("cannot write " + _path + ": " + reason());
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void AtomicFile::copyFrom(std::istream& in)
{
    std::vector<char> buf(64 * 1024);
    while (in)
    {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0)
            write(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
}

void AtomicFile::commit()
{
    if (::fsync(_fd) != 0 && errno != EINVAL)
        throw Poco::WriteFileException("cannot write " + _path + ": " + reason());
    const int fd = _fd;
    _fd = -1;
    if (::close(fd) != 0)
        throw Poco::WriteFileException("cannot write " + _path + ": " + reason());
    if (::rename(_tmp.c_str(), _path.c_str()) != 0)
        throw Poco::WriteFileException("cannot write " + _path + ": " + reason());
    _committed = true;
}

void AtomicFile::put(const std::string& path, const std::string& content, unsigned mode)
{
    AtomicFile f(path, mode);
    f.write(content.data(), content.size());
    f.commit();
}

} // namespace hoist::base
