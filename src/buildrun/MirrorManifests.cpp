// This file implements the context mirrors' manifests kept on this machine: a file per builder
// container and mirror under hoist's cache directory.

#include "buildrun/MirrorManifests.h"

#include "base/AtomicFile.h"
#include "base/Digest.h"
#include "base/Files.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Timestamp.h>

namespace hoist::buildrun
{

namespace
{

const Poco::Timestamp::TimeDiff WEEK = 7LL * 24 * 3600 * Poco::Timestamp::resolution();

} // namespace

MirrorManifests::MirrorManifests(std::string dir) : _dir(std::move(dir)) {}

std::string MirrorManifests::fileFor(const std::string& identity,
                                     const std::string& mirrorDir) const
{
    if (_dir.empty() || identity.empty())
        return "";
    return _dir + "/mirror-" + base::sha256Hex(identity + "\n" + mirrorDir).substr(0, 32);
}

bool MirrorManifests::keeps(const std::string& identity) const
{
    return !_dir.empty() && !identity.empty();
}

std::optional<std::string> MirrorManifests::find(const std::string& identity,
                                                 const std::string& mirrorDir) const
{
    const std::string file = fileFor(identity, mirrorDir);
    if (file.empty())
        return std::nullopt;
    return base::readFileIfExists(file);
}

void MirrorManifests::forget(const std::string& identity, const std::string& mirrorDir) const
{
    const std::string file = fileFor(identity, mirrorDir);
    if (!file.empty())
        std::remove(file.c_str());
}

void MirrorManifests::keep(const std::string& identity, const std::string& mirrorDir,
                           const std::string& manifest) const
{
    const std::string file = fileFor(identity, mirrorDir);
    if (file.empty())
        return;
    try
    {
        base::makeDirs(_dir, 0700);
        base::AtomicFile::put(file, manifest, 0600);
        clearStale();
    }
    catch (const Poco::Exception&)
    {
        // The next build lists the mirror.
    }
}

void MirrorManifests::clearStale() const
{
    Poco::Timestamp now;
    for (Poco::DirectoryIterator it(_dir), end; it != end; ++it)
    {
        if (it.name().rfind("mirror-", 0) == 0 && now - it->getLastModified() > WEEK)
            std::remove(it->path().c_str());
    }
}

} // namespace hoist::buildrun
