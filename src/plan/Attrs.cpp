// This file implements the planning helpers for buildx's CSV attribute lists, KEY=VALUE
// values, registry hosts and image references, each appending the problems it finds.

#include "plan/Attrs.h"

#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "engine/ImageRef.h"

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

} // namespace hoist::plan
