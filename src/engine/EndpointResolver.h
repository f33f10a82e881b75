#pragma once

#include "base/Env.h"
#include "engine/DockerConfig.h"
#include "engine/Endpoint.h"

#include <string>

namespace hoist::engine
{

/// Decides which engine to talk to, as the docker CLI does: DOCKER_HOST (with
/// DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH, and GitLab's DOCKER_TLS_CERTDIR/client),
/// else the docker context (DOCKER_CONTEXT, else config.json's currentContext), else the
/// default unix socket. DOCKER_HOST wins over DOCKER_CONTEXT.
class EndpointResolver
{
public:
    /// A resolver reading env and the docker configuration config.
    EndpointResolver(const base::Env& env, const DockerConfig& config);

    /// Returns the endpoint, its origin filled in. Throws base::ConfigException for a
    /// malformed DOCKER_HOST, a missing context or missing TLS files;
    /// base::NotSupportedYetException for fd:// and npipe:// endpoints.
    Endpoint resolve() const;

    /// Reads the part of an ssh:// host after the scheme (rest), as the docker CLI does; host
    /// and what name it in errors. Throws base::ConfigException for a bad one.
    static Endpoint parseSsh(const std::string& rest, const std::string& host,
                             const std::string& what);

    /// Parses a host in DOCKER_HOST form (unix://, tcp://, ssh://, host:port); tls picks the
    /// default port (2376 with TLS, else 2375). what names the source in error messages.
    /// Throws as resolve() does.
    static Endpoint parseHost(const std::string& host, bool tls, const std::string& what);

    /// Returns the directory name docker uses for a context: hex SHA-256 of its name.
    static std::string contextId(const std::string& name);

private:
    Endpoint pick() const;
    Endpoint fromDockerHost() const;
    Endpoint fromDockerHostValue(const std::string& host) const;
    Endpoint fromContext(const std::string& name, const std::string& origin) const;

    const base::Env& _env;
    const DockerConfig& _config;
    int _certWaitTenths = 300; // up to 30 s for a dind service's certificates
};

} // namespace hoist::engine
