// This file implements a build's context or Dockerfile read from stdin ("-"), kept in a private
// temporary directory while the command runs.

#include "app/StdinFiles.h"

#include "base/Error.h"
#include "base/Files.h"
#include "base/TarExtractor.h"

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <streambuf>

namespace hoist::app
{

namespace
{

// The first bytes of a tar stream, or of a compressed one, as buildx's isArchive tells them.
enum class Archive
{
    None,
    Tar,
    Gzip,
    Other // bzip2, xz, zstd
};

Archive archiveOf(const std::string& head)
{
    if (head.size() >= 262 && head.compare(257, 5, "ustar") == 0)
        return Archive::Tar;
    if (head.compare(0, 2, "\x1f\x8b") == 0)
        return Archive::Gzip;
    if (head.compare(0, 3, "BZh") == 0 ||
        head.compare(0, 6,
                     "\xfd"
                     "7zXZ\0",
                     6) == 0 ||
        head.compare(0, 4, "\x28\xb5\x2f\xfd") == 0)
        return Archive::Other;
    return Archive::None;
}

// Reads head, then the rest of in: the bytes looked at, put back in front of the stream.
class PrefixedBuf : public std::streambuf
{
public:
    PrefixedBuf(std::string head, std::istream& rest) : _head(std::move(head)), _rest(rest) {}

protected:
    int_type underflow() override
    {
        if (!_headGiven)
        {
            _headGiven = true;
            if (!_head.empty())
            {
                setg(&_head[0], &_head[0], &_head[0] + _head.size());
                return traits_type::to_int_type(_head[0]);
            }
        }
        _rest.read(_buf, sizeof _buf);
        const std::streamsize n = _rest.gcount();
        if (n <= 0)
            return traits_type::eof();
        setg(_buf, _buf, _buf + n);
        return traits_type::to_int_type(_buf[0]);
    }

private:
    std::string _head;
    std::istream& _rest;
    bool _headGiven = false;
    char _buf[65536];
};

} // namespace

StdinFiles::StdinFiles(const cli::Options& options, std::istream& in) : _options(options)
{
    cli::BuildOptions& b = _options.build;
    const bool context = b.context.value == "-";
    const bool file = b.file.given() && b.file.value == "-";
    if (!context && !file)
        return;
    if (context && file)
        throw base::UsageException("the build context - and " + b.file.name() +
                                   " - both ask for stdin: give one of them a path");
    _dir = base::makePrivateDir("stdin");
    try
    {
        if (context)
            readContext(in);
        else
            readDockerfile(in, "Dockerfile");
    }
    catch (...)
    {
        base::removeTree(_dir);
        throw;
    }
}

StdinFiles::~StdinFiles()
{
    if (_dir.empty())
        return;
    try
    {
        base::removeTree(_dir);
    }
    catch (const Poco::Exception&)
    {
        // A temporary directory the system clears; nothing to report at exit.
    }
}

const cli::Options& StdinFiles::options() const
{
    return _options;
}

void StdinFiles::readContext(std::istream& in)
{
    cli::BuildOptions& b = _options.build;
    std::string head(512, '\0');
    in.read(&head[0], static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const Archive kind = archiveOf(head);
    const std::string contextDir = _dir + "/context";
    base::makeDirs(contextDir, 0700);
    b.context.value = contextDir;
    if (kind == Archive::None)
    {
        // A Dockerfile on stdin, the context empty (buildx's rule).
        if (b.file.given())
            throw base::UsageException("the build context - is a Dockerfile and " + b.file.name() +
                                       " names one too: give one Dockerfile");
        PrefixedBuf buf(head, in);
        std::istream whole(&buf);
        readDockerfile(whole, "Dockerfile");
        b.file.source.origin = cli::Origin::Flag;
        return;
    }
    if (kind == Archive::Other)
        throw base::UsageException("the build context - is compressed with bzip2, xz or zstd, "
                                   "which hoist does not read yet: send a plain or gzip tar");
    // The bytes already read, then the rest of stdin, streamed.
    PrefixedBuf buf(head, in);
    std::istream whole(&buf);
    base::TarExtractor extractor(contextDir);
    extractor.setSpecialBits(true);
    if (kind == Archive::Gzip)
    {
        Poco::InflatingInputStream inflated(whole, Poco::InflatingStreamBuf::STREAM_GZIP);
        extractor.extract(inflated);
    }
    else
        extractor.extract(whole);
}

void StdinFiles::readDockerfile(std::istream& in, const std::string& name)
{
    std::ofstream out(_dir + "/" + name, std::ios::binary);
    Poco::StreamCopier::copyStream(in, out);
    if (!out)
        throw Poco::WriteFileException(_dir + "/" + name);
    _options.build.file.value = _dir + "/" + name;
}

} // namespace hoist::app
