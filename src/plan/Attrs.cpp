// This file implements the planning helpers for buildx's CSV attribute lists, KEY=VALUE
// values, registry hosts and image references, each appending the problems it finds.

#include "plan/Attrs.h"

#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "engine/ImageRef.h"
#include "qemu/Platform.h"

#include <Poco/RegularExpression.h>

#include <algorithm>

namespace hoist::plan
{

std::string AttrList::attr(const std::string& key) const
{
    for (const auto& [k, v] : attrs)
    {
        if (k == key)
            return v;
    }
    return "";
}

std::string AttrList::take(const std::string& key)
{
    const std::string v = attr(key);
    attrs.erase(
        std::remove_if(attrs.begin(), attrs.end(), [&](const auto& a) { return a.first == key; }),
        attrs.end());
    return v;
}

AttrList parseAttrs(const std::string& value, const std::string& option, bool allowBare,
                    base::Problems& problems)
{
    AttrList list;
    bool ok = true;
    auto fields = builder::DriverOpts::splitCsv(value, ok);
    if (!ok)
        problems.push_back(base::Problem{
            option, option + " " + base::quoted(value) + " has an unclosed quote", ""});
    for (const auto& f : fields)
    {
        auto eq = f.find('=');
        if (eq == std::string::npos && allowBare && fields.size() == 1)
            list.bare = f;
        else if (eq == std::string::npos)
            problems.push_back(base::Problem{option,
                                             option + " " + base::quoted(value) + ": " +
                                                 base::quoted(f) + " is not KEY=VALUE",
                                             ""});
        else if (f.substr(0, eq) == "type")
            list.type = f.substr(eq + 1);
        else
            list.attrs.emplace_back(f.substr(0, eq), f.substr(eq + 1));
    }
    return list;
}

std::pair<std::string, std::string> keyValue(const std::string& value, const std::string& option,
                                             base::Problems& problems)
{
    auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0)
    {
        problems.push_back(
            base::Problem{option, option + " " + base::quoted(value) + " is not KEY=VALUE", ""});
        return {};
    }
    return {value.substr(0, eq), value.substr(eq + 1)};
}

void checkRef(const std::string& what, const std::string& ref, base::Problems& problems)
{
    for (const auto& one : base::split(ref, ','))
    {
        const std::string problem = engine::ImageRef::problem(one);
        if (!problem.empty())
            problems.push_back(base::Problem{what, what + base::quoted(one) + " " + problem, ""});
    }
}

std::set<std::string> registryHosts(const cli::Texts& hosts, base::Problems& problems)
{
    std::set<std::string> out;
    for (const auto& host : hosts.value)
    {
        if (host.empty() || host.find_first_of("/ @") != std::string::npos)
            problems.push_back(
                base::Problem{hosts.name(),
                              hosts.name() + " " + base::quoted(host) +
                                  " is not a registry host: give HOST[:PORT], e.g. localhost:5000",
                              ""});
        else
            out.insert(host);
    }
    return out;
}

namespace
{

// One of buildx's annotation types with its optional platform ("manifest[linux/arm64]") as
// the exporter's attribute prefix ("annotation-manifest[linux/arm64]"); "" when it is none.
std::string annotationPrefix(const std::string& type, std::string& problem)
{
    static const Poco::RegularExpression FORM("^([a-z-]+)(?:\\[([A-Za-z0-9_/-]+)\\])?$");
    std::vector<std::string> m;
    if (FORM.split(type, m) < 2 || (m[1] != "index" && m[1] != "index-descriptor" &&
                                    m[1] != "manifest" && m[1] != "manifest-descriptor"))
    {
        problem = "has an unknown type " + base::quoted(type) +
                  ": index, index-descriptor, manifest or manifest-descriptor, e.g. "
                  "index:KEY=VALUE or manifest[linux/arm64]:KEY=VALUE";
        return "";
    }
    std::string prefix = "annotation-" + m[1];
    // An index has no platform: buildx drops one given there.
    if (m.size() > 2 && !m[2].empty() && base::startsWith(m[1], "manifest"))
    {
        qemu::Platform platform;
        if (!qemu::Platform::parse(m[2], platform, problem))
        {
            problem = "names the platform " + base::quoted(m[2]) + ", which " + problem;
            return "";
        }
        prefix += "[" + platform.str() + "]";
    }
    return prefix;
}

} // namespace

void annotationAttrs(const std::string& v, const std::string& option,
                     std::vector<std::pair<std::string, std::string>>& out,
                     base::Problems& problems)
{
    const auto kv = keyValue(v, option, problems);
    if (kv.first.empty())
        return;
    const auto colon = kv.first.find(':');
    if (colon == std::string::npos)
    {
        out.emplace_back("annotation." + kv.first, kv.second);
        return;
    }
    const std::string key = kv.first.substr(colon + 1);
    for (const auto& type : base::split(kv.first.substr(0, colon), ','))
    {
        std::string problem;
        const std::string prefix = annotationPrefix(type, problem);
        if (prefix.empty())
            problems.push_back(
                base::Problem{option, option + " " + base::quoted(v) + " " + problem, ""});
        else
            out.emplace_back(prefix + "." + key, kv.second);
    }
}

} // namespace hoist::plan
