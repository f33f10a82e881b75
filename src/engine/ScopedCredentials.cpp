// This file implements docker/login-action's scoped logins as buildx reads them: each docker
// config under <buildx config>/config/, and the login that applies to a host, repositories and
// action.

#include "engine/ScopedCredentials.h"

#include "base/Strings.h"
#include "engine/DockerConfig.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>

namespace hoist::engine
{

namespace
{

// Every directory under root that holds a config.json, as paths relative to root.
void configDirs(const std::string& root, const std::string& rel, std::vector<std::string>& out)
{
    for (Poco::DirectoryIterator it(root + (rel.empty() ? "" : "/" + rel)), end; it != end; ++it)
    {
        const std::string name = rel.empty() ? it.name() : rel + "/" + it.name();
        if (it->isDirectory() && !it->isLink())
            configDirs(root, name, out);
        else if (it.name() == "config.json" && !rel.empty())
            out.push_back(rel);
    }
}

} // namespace

ScopedCredentials ScopedCredentials::load(const std::string& buildxDir, const base::Env& env)
{
    ScopedCredentials s;
    const std::string root = buildxDir + "/config";
    if (!Poco::File(root).exists() || !Poco::File(root).isDirectory())
        return s;
    std::vector<std::string> dirs;
    configDirs(root, "", dirs);
    for (const auto& rel : dirs)
    {
        Login login;
        std::string path = rel;
        const auto at = path.find('@');
        if (at != std::string::npos)
        {
            for (const auto& a : base::split(path.substr(at + 1), ','))
                login.actions.insert(a);
            path = path.substr(0, at);
        }
        const auto slash = path.find('/');
        login.host = path.substr(0, slash);
        login.repository = slash == std::string::npos ? "" : path.substr(slash + 1);
        base::Env::Map vars = env.all();
        vars["DOCKER_CONFIG"] = root + "/" + rel;
        const base::Env scoped(vars);
        const DockerConfig config = DockerConfig::load(scoped); // the auth keeps a reference
        RegistryAuth auth(config, scoped);
        // docker login writes the host as given; Docker Hub's under its index URL.
        login.credentials = auth.lookup(
            login.host == "registry-1.docker.io" ? "https://index.docker.io/v1/" : login.host);
        if (login.credentials.empty() && login.host == "registry-1.docker.io")
            login.credentials = auth.lookup("docker.io");
        if (!login.credentials.empty())
            s._logins.push_back(login);
    }
    return s;
}

std::optional<Credentials> ScopedCredentials::find(const std::string& host,
                                                   const std::vector<std::string>& repositories,
                                                   const std::string& action) const
{
    const std::string want = host == "docker.io" || host == "https://index.docker.io/v1/"
                                 ? "registry-1.docker.io"
                                 : host;
    const Login* best = nullptr;
    auto rank = [](const Login& l)
    { return std::make_pair(!l.repository.empty(), l.actions.size()); };
    for (const auto& l : _logins)
    {
        if (l.host != want || (!l.actions.empty() && !l.actions.count(action)))
            continue;
        if (!l.repository.empty() &&
            std::find(repositories.begin(), repositories.end(), l.repository) == repositories.end())
            continue;
        if (!best || rank(l) > rank(*best))
            best = &l;
    }
    if (!best)
        return std::nullopt;
    return best->credentials;
}

std::size_t ScopedCredentials::size() const
{
    return _logins.size();
}

} // namespace hoist::engine
