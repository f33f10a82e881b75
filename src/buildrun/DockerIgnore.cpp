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

// Reads a pattern that filepath.Match would refuse (patternmatcher checks with it first):
// a trailing lone backslash or an unclosed '['. Returns the problem's words, "" for none.
std::string badSyntax(const std::string& line)
{
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        if (line[i] == '\\' && i + 1 >= line.size())
            return "ends in a lone backslash";
        if (line[i] == '\\')
            ++i;
        else if (line[i] == '[' && line.find(']', i + 1) == std::string::npos)
            return "has an unclosed '['";
    }
    return "";
}

} // namespace

void DockerIgnore::compile(Pattern& p)
{
    // patternmatcher's compile(): the pattern's kind is what its characters make it, and only
    // a regexp pattern is matched as one ("**" first is a suffix, "**" last a prefix).
    std::string re = "^";
    const std::string& line = p.text;
    Kind kind = Kind::Exact;
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        const std::size_t at = i;
        const char c = line[i];
        if (c == '*' && i + 1 < line.size() && line[i + 1] == '*')
        {
            ++i; // "**"
            if (i + 1 < line.size() && line[i + 1] == '/')
                ++i; // "**/"
            if (i + 1 >= line.size())
            {
                re += kind == Kind::Exact ? "" : ".*";
                kind = kind == Kind::Exact ? Kind::Prefix : Kind::Regex;
            }
            else
            {
                re += "(.*/)?";
                kind = Kind::Regex;
            }
            if (at == 0)
                kind = Kind::Suffix;
        }
        else if (c == '*' || c == '?')
        {
            re += c == '*' ? "[^/]*" : "[^/]";
            kind = Kind::Regex;
        }
        else if (std::string(".+()|{}$").find(c) != std::string::npos)
            re += std::string("\\") + c;
        else if (c == '\\')
        {
            re += std::string("\\") + line[++i];
            kind = Kind::Regex;
        }
        else
        {
            re += c;
            if (c == '[' || c == ']')
                kind = Kind::Regex;
        }
    }
    p.kind = kind;
    p.regex = kind == Kind::Regex ? re + "$" : "";
}

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
        const std::string bad = badSyntax(line);
        if (!bad.empty())
        {
            problems.push_back(
                base::Problem{where, where + ": pattern " + base::quoted(line) + " " + bad, ""});
            continue;
        }
        compile(p);
        try
        {
            if (p.kind == Kind::Regex)
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
    switch (p.kind)
    {
    case Kind::Exact:
        return path == p.text;
    case Kind::Prefix:
        return base::startsWith(path, p.text.substr(0, p.text.size() - 2));
    case Kind::Suffix:
    {
        // "**/foo" matches "foo" too; "**foo" any path ending in "foo".
        const std::string suffix = p.text.substr(2);
        return base::endsWith(path, suffix) ||
               (!suffix.empty() && suffix[0] == '/' && path == suffix.substr(1));
    }
    case Kind::Regex:
        break;
    }
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
