#pragma once

#include "base/Env.h"
#include "engine/DockerConfig.h"

#include <map>
#include <string>
#include <vector>

namespace hoist::engine
{

/// Credentials for one registry. Never logged: every secret is registered with the Redactor.
struct Credentials
{
    std::string username;
    std::string password;
    std::string identityToken; /// a helper's "<token>" secret, or config's identitytoken
    std::string registryToken;
    std::string serverAddress;

    /// Returns true when there is nothing to authenticate with.
    bool empty() const;
};

/// Finds registry credentials as the docker CLI does: credHelpers[host], else credsStore
/// (both through the docker-credential-<name> "get" protocol), else config.json's auths; plus
/// credentials the caller adds (from the CI context), which win.
class RegistryAuth
{
public:
    /// Looks credentials up in config, running helpers with env.
    RegistryAuth(const DockerConfig& config, const base::Env& env);

    /// Adds credentials for host (e.g. GitLab's CI_REGISTRY); they win over the config's.
    void add(const std::string& host, const Credentials& credentials);

    /// Returns the credentials for a registry host (as ImageRef::authKey() gives it), empty
    /// when there are none. Throws base::ConfigException when a helper fails for another
    /// reason than "not found".
    Credentials lookup(const std::string& host) const;

    /// Returns the credentials for registry, a host as a reference names it ("ghcr.io",
    /// "docker.io"): lookup() of its key. Throws as lookup() does.
    Credentials forRegistry(const std::string& registry) const;

    /// Returns the X-Registry-Auth value: base64url, with padding, of the JSON auth config.
    static std::string encodeHeader(const Credentials& credentials);

    /// Returns the X-Registry-Auth value for pulling image, "" when there are no credentials
    /// for its registry. Throws as lookup() does.
    std::string headerFor(const std::string& image) const;

    /// Returns a config.json holding only "auths" for hosts that have credentials, for
    /// buildctl inside a builder, where the host's helpers do not exist.
    std::string authsConfig(const std::vector<std::string>& hosts) const;

    /// Returns host[:port] for a key written as a URL ("https://host/v1/" → "host").
    static std::string hostOf(const std::string& key);

private:
    Credentials fromHelper(const std::string& helper, const std::string& host) const;

    const DockerConfig& _config;
    const base::Env& _env;
    std::map<std::string, Credentials> _added;
};

} // namespace hoist::engine
