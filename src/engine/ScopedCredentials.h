#pragma once

#include "base/Env.h"
#include "engine/RegistryAuth.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hoist::engine
{

/// Registry logins scoped to a repository, as docker/login-action's `scope` writes them and
/// buildx reads them: a docker config in <buildx config>/config/<host>[/<repository>][@<action>,…]/
/// (Docker Hub's host is registry-1.docker.io). One that names the repository wins over one
/// for the whole host; among those, the one with more actions.
class ScopedCredentials
{
public:
    /// Loads every scoped login under buildxDir/config; none when there is no such directory.
    /// Throws base::ConfigException for a config.json that is not valid JSON.
    static ScopedCredentials load(const std::string& buildxDir, const base::Env& env);

    /// Returns the credentials buildx would use for action ("push" or "pull") on one of
    /// repositories (without host) at host, if a scoped login applies.
    std::optional<Credentials> find(const std::string& host,
                                    const std::vector<std::string>& repositories,
                                    const std::string& action) const;

    /// Returns how many scoped logins there are.
    std::size_t size() const;

private:
    struct Login
    {
        std::string host;
        std::string repository; /// "" for the whole host
        std::set<std::string> actions;
        Credentials credentials;
    };
    std::vector<Login> _logins;
};

} // namespace hoist::engine
