#include "TempDir.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

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

std::string TempDir::read(const std::string& rel) const
{
    std::ifstream in(_path + "/" + rel, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

std::vector<std::string> TempDir::list() const
{
    std::vector<std::string> names;
    Poco::File(_path).list(names);
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace hoist::test
