// This file implements which of login-action's scoped logins a build's registries get.

#include "plan/CredentialStep.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"

#include <map>

namespace hoist::plan
{

namespace
{

// The repositories the build pushes to (first) or reads caches from (second), by registry host.
using Repositories = std::pair<std::vector<std::string>, std::vector<std::string>>;

std::map<std::string, Repositories> repositoriesByHost(const buildrun::BuildRequest& r)
{
    std::map<std::string, Repositories> out;
    auto add = [&](const std::string& ref, bool push)
    {
        const engine::ImageRef i = engine::ImageRef::parse(ref);
        (push ? out[i.authKey()].first : out[i.authKey()].second).push_back(i.repository);
    };
    for (const auto& o : r.outputs)
    {
        if (o.makesImage() && o.attr("push") == "true")
            for (const auto& name : base::split(o.attr("name"), ','))
                add(name, true);
    }
    for (const auto& c : r.cacheTo)
        if (c.type == buildrun::CacheType::Registry)
            add(c.attr("ref"), true);
    for (const auto& c : r.cacheFrom)
        if (c.type == buildrun::CacheType::Registry)
            add(c.attr("ref"), false);
    return out;
}

} // namespace

std::vector<std::pair<std::string, engine::Credentials>>
scopedLogins(const buildrun::BuildRequest& request, const engine::ScopedCredentials& logins,
             const std::string& ciRegistryHost)
{
    std::vector<std::pair<std::string, engine::Credentials>> chosen;
    if (logins.size() == 0)
        return chosen;
    for (const auto& [host, repos] : repositoriesByHost(request))
    {
        if (host == ciRegistryHost)
            continue;
        auto c = logins.find(host, repos.first, "push");
        if (!c && repos.first.empty())
            c = logins.find(host, repos.second, "pull");
        if (c)
            chosen.emplace_back(host, *c);
    }
    return chosen;
}

} // namespace hoist::plan
