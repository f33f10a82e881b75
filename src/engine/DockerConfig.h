#pragma once

#include "base/Env.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

namespace hoist::engine
{

/// The docker CLI's configuration directory as the CLI reads it: $DOCKER_CONFIG or
/// ~/.docker, and from its config.json the current context, auths, credsStore and
/// credHelpers; then the logins of DOCKER_AUTH_CONFIG (GitLab's variable holding a config.json)
/// for registries config.json has none for. A missing directory or file is an empty
/// configuration.
class DockerConfig
{
public:
    /// One entry of "auths".
    struct AuthEntry
    {
        std::string username;
        std::string password;
        std::string identityToken;
        std::string registryToken;
    };

    /// Loads the configuration that env points at. Throws base::ConfigException when
    /// config.json exists but is not valid JSON, naming the file, or DOCKER_AUTH_CONFIG is set
    /// and is not.
    static DockerConfig load(const base::Env& env);

    /// Makes `docker build` run `docker buildx build`, as `docker buildx install` does: sets
    /// "aliases": {"builder": "buildx"} in dir's config.json, keeping the rest, written whole
    /// (mode 0600) or not at all. Throws base::ConfigException when config.json is not valid
    /// JSON, Poco::FileException when it cannot be written.
    static void aliasBuilderToBuildx(const std::string& dir);

    /// Returns the configuration directory (it may not exist).
    const std::string& dir() const;
    /// Returns "currentContext", or "".
    const std::string& currentContext() const;
    /// Returns "credsStore", or "".
    const std::string& credsStore() const;
    /// Returns the "credHelpers" entry for host, or "".
    std::string credHelper(const std::string& host) const;
    /// Returns the "auths" entries by their key as written (host[:port] or a URL).
    const std::map<std::string, AuthEntry>& auths() const;

private:
    // Adds root's logins where none is known yet; whole: its current context and credsStore too.
    void read(const Poco::JSON::Object::Ptr& root, bool whole);

    std::string _dir;
    std::string _currentContext;
    std::string _credsStore;
    std::map<std::string, std::string> _credHelpers;
    std::map<std::string, AuthEntry> _auths;
};

} // namespace hoist::engine
