#include "TempDir.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>

#include <cstdlib>

namespace hoist::test
{

TempDir::TempDir()
{
    char tmpl[] = "/tmp/hoist-unit.XXXXXX";
    _path = ::mkdtemp(tmpl);
}

TempDir::~TempDir()
{
    try
    {
        Poco::File(_path).remove(true);
    }
    catch (...)
    {
    }
}

const std::string& TempDir::path() const
{
    return _path;
}

void TempDir::write(const std::string& rel, const std::string& content)
{
    Poco::Path p(_path + "/" + rel);
    Poco::File(p.parent()).createDirectories();
    Poco::FileOutputStream out(p.toString());
    out << content;
}

} // namespace hoist::test
