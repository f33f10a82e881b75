#pragma once

#include "plan/FileView.h"

#include <Poco/Exception.h>

#include <map>
#include <set>
#include <string>

namespace hoist::test
{

/// A file view over a map: regular files with their text, directories, and other things
/// (fifos). Paths are absolute already or taken against /work.
class FakeFiles : public plan::FileView
{
public:
    FakeFiles& file(const std::string& path, const std::string& text = "")
    {
        _files[absolute(path)] = text;
        return *this;
    }
    FakeFiles& dir(const std::string& path)
    {
        _dirs.insert(absolute(path));
        return *this;
    }
    FakeFiles& other(const std::string& path)
    {
        _others.insert(absolute(path));
        return *this;
    }

    Kind kind(const std::string& path) const override
    {
        const std::string p = absolute(path);
        if (_files.count(p))
            return Kind::Regular;
        if (_dirs.count(p))
            return Kind::Directory;
        return _others.count(p) ? Kind::Other : Kind::Missing;
    }

    std::string read(const std::string& path) const override
    {
        auto it = _files.find(absolute(path));
        if (it == _files.end())
            throw Poco::FileNotFoundException(path);
        return it->second;
    }

    std::string absolute(const std::string& path) const override
    {
        std::string p = path.empty() || path[0] == '/' ? path : "/work/" + path;
        while (p.size() > 1 && p.back() == '/')
            p.pop_back();
        if (p.size() > 2 && p.compare(p.size() - 2, 2, "/.") == 0)
            p.erase(p.size() - 2);
        return p;
    }

private:
    std::map<std::string, std::string> _files;
    std::set<std::string> _dirs;
    std::set<std::string> _others;
};

} // namespace hoist::test
