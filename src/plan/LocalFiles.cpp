// This file implements the plan's file view of this machine's file system: a path's kind, its
// content, and its absolute form.

#include "plan/LocalFiles.h"

#include "base/Files.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

#include <sys/stat.h>

namespace hoist::plan
{

FileView::Kind LocalFiles::kind(const std::string& path) const
{
    struct stat st;
    if (path.empty() || ::stat(path.c_str(), &st) != 0)
        return Kind::Missing;
    if (S_ISDIR(st.st_mode))
        return Kind::Directory;
    return S_ISREG(st.st_mode) ? Kind::Regular : Kind::Other;
}

std::string LocalFiles::read(const std::string& path) const
{
    try
    {
        return base::readFile(path);
    }
    catch (const Poco::FileException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::ReadFileException("cannot read " + path + ": " + e.message());
    }
}

std::string LocalFiles::absolute(const std::string& path) const
{
    return Poco::Path(path).makeAbsolute().toString();
}

} // namespace hoist::plan
