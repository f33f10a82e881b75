// This file implements .dockerignore matching as moby/patternmatcher v0.6 does: each pattern
// becomes a regular expression, and a path is tested, then each of its parent directories.

#include "buildrun/DockerIgnore.h"

#include "base/Strings.h"

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

namespace hoist::buildrun
{

std::string DockerIgnore::clean(const std::string& path)
{
    const bool rooted = !path.empty() && path[0] == '/';
    std::vector<std::string> out;
    for (const auto& part : base::split(path, '/'))
    {
        if (part.empty() || part == ".")
            continue;
        if (part == "..")
        {
            if (!out.empty() && out.back() != "..")
                out.pop_back();
            else if (!rooted)
                out.push_back("..");
            continue;
        }
        out.push_back(part);
    }
    std::string joined = base::join(out, "/");
    if (rooted)
        return "/" + joined;
    return joined.empty() ? "." : joined;
}

namespace
{

// Translates a cleaned pattern to a regular expression as patternmatcher's compile() does;
// appends a problem (where names the line) and returns "" for one it cannot.
std::string toRegex(const std::string& line, const std::string& where, base::Problems& problems)
{
    std::string re = "^";
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        char c = line[i];
        if (c == '*' && i + 1 < line.size() && line[i + 1] == '*')
        {
            ++i; // "**"
            if (i + 1 < line.size() && line[i + 1] == '/')
                ++i; // "**/"
            re += i + 1 >= line.size() ? ".*" : "(.*/)?";
        }
        else if (c == '*')
            re += "[^/]*";
        else if (c == '?')
            re += "[^/]";
        else if (c == '\\' && i + 1 >= line.size())
        {
            problems.push_back(base::Problem{
                where, where + ": pattern " + base::quoted(line) + " ends in a lone backslash",
                ""});
            return "";
        }
        else if (c == '\\')
            re += std::string("\\") + line[++i];
        else if (c == '[')
        {
            auto end = line.find(']', i + 1);
            if (end == std::string::npos)
            {
                problems.push_back(base::Problem{
                    where, where + ": pattern " + base::quoted(line) + " has an unclosed '['", ""});
                return "";
            }
            // Passed to the regexp as is: Go syntax, negated with '^' (not '!').
            re += "[" + line.substr(i + 1, end - i - 1) + "]";
            i = end;
        }
        else if (std::string(".+()|{}$^").find(c) != std::string::npos)
            re += std::string("\\") + c;
        else
            re += c;
    }
    return re + "$";
}

} // namespace

DockerIgnore DockerIgnore::parse(const std::string& text, const std::string& source,
                                 base::Problems& problems)
{
    DockerIgnore d;
    int lineNo = 0;
    for (std::string line : base::split(text, '\n'))
    {
        ++lineNo;
        const std::string where = source + ":" + std::to_string(lineNo);
        if (lineNo == 1 && base::startsWith(line, "\xEF\xBB\xBF"))
            line = line.substr(3);
        if (!line.empty() && line[0] == '#')
            continue;
        line = Poco::trim(line);
        if (line.empty())
            continue;
        Pattern p;
        if (line[0] == '!')
        {
            p.exclusion = true;
            line = Poco::trim(line.substr(1));
            if (line.empty())
            {
                problems.push_back(
                    base::Problem{where, where + ": illegal exclusion pattern \"!\"", ""});
                continue;
            }
        }
        line = clean(line);
        if (line.size() > 1 && line[0] == '/')
            line = line.substr(1);
        p.text = line;
        p.regex = toRegex(line, where, problems);
        if (p.regex.empty())
            continue;
        try
        {
            Poco::RegularExpression check(p.regex);
        }
        catch (const Poco::Exception&)
        {
            problems.push_back(
                base::Problem{where, where + ": bad pattern " + base::quoted(p.text), ""});
            continue;
        }
        d._patterns.push_back(p);
    }
    return d;
}

bool DockerIgnore::match(const Pattern& p, const std::string& path)
{
    Poco::RegularExpression re(p.regex);
    return re.match(path);
}

bool DockerIgnore::excluded(const std::string& path) const
{
    bool matched = false;
    const auto slash = path.rfind('/');
    const std::vector<std::string> parents = slash == std::string::npos
                                                 ? std::vector<std::string>()
                                                 : base::split(path.substr(0, slash), '/');
    for (const auto& p : _patterns)
    {
        // An inclusion is only tried while not excluded, an exception only while excluded.
        if (p.exclusion != matched)
            continue;
        bool m = match(p, path);
        for (std::size_t i = 0; !m && i < parents.size(); ++i)
        {
            std::vector<std::string> prefix(parents.begin(),
                                            parents.begin() + static_cast<long>(i) + 1);
            m = match(p, base::join(prefix, "/"));
        }
        if (m)
            matched = !p.exclusion;
    }
    return matched;
}

bool DockerIgnore::mayReinclude(const std::string& dir) const
{
    for (const auto& p : _patterns)
    {
        if (!p.exclusion)
            continue;
        // Conservative: a wildcard before the directory's depth could match inside it.
        if (base::startsWith(p.text, dir + "/") ||
            p.text.find_first_of("*?[\\") != std::string::npos)
            return true;
    }
    return false;
}

bool DockerIgnore::empty() const
{
    return _patterns.empty();
}

} // namespace hoist::buildrun
