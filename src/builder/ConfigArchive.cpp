// This file implements the config tar buildx copies to /etc before a builder starts: the paths
// checked, every parent directory under "buildkit/" first, then the files.

#include "builder/ConfigArchive.h"

#include "base/Strings.h"
#include "base/TarWriter.h"

#include <Poco/Exception.h>

#include <set>

namespace hoist::builder
{

void ConfigArchive::write(std::ostream& out, const std::map<std::string, std::string>& files)
{
    std::set<std::string> dirs = {"buildkit"};
    for (const auto& [path, content] : files)
    {
        if (path.empty() || path[0] == '/' || path.find("..") != std::string::npos ||
            path.find('\\') != std::string::npos)
            throw Poco::InvalidArgumentException("invalid config file path", path);
        auto parts = base::split(path, '/');
        std::string dir = "buildkit";
        for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        {
            dir += "/" + parts[i];
            dirs.insert(dir);
        }
    }
    base::TarWriter tar(out);
    base::TarWriter::Entry e;
    e.mode = 0755;
    for (const auto& d : dirs)
    {
        e.name = d;
        tar.addDirectory(e);
    }
    e.mode = 0644;
    for (const auto& [path, content] : files)
    {
        e.name = "buildkit/" + path;
        tar.addFile(e, content);
    }
    tar.finish();
}

} // namespace hoist::builder
