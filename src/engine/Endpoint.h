#pragma once

#include <string>
#include <vector>

namespace hoist::engine
{

/// Where the Docker engine is and how to talk to it, with how that was decided.
struct Endpoint
{
    enum class Kind
    {
        Unix, /// a unix socket at socketPath
        Tcp,  /// host:port, plain or TLS
        Ssh   /// the engine of host (socketPath there, when given) through ssh
    };

    Kind kind = Kind::Unix;
    std::string socketPath;  /// Unix: the socket's path; Ssh: the far side's, "" for its default
    std::string host;        /// Tcp, Ssh: host name or address
    unsigned short port = 0; /// Tcp; Ssh: 0 for ssh's own choice
    std::string sshUser;     /// Ssh: the login name, "" for ssh's own choice
    std::vector<std::string> sshEnvironment; /// Ssh: NAME=VALUE for ssh (HOME, SSH_AUTH_SOCK)
    std::string basePath; /// a path prefix for every API path (tcp://host:port/prefix)

    bool tls = false;     /// Tcp: speak TLS
    bool verify = false;  /// TLS: verify the server's certificate against caFile
    std::string caFile;   /// TLS: ca.pem ("" for none)
    std::string certFile; /// TLS: client cert.pem ("" for none)
    std::string keyFile;  /// TLS: client key.pem ("" for none)

    std::string origin; /// how it was chosen, e.g. "DOCKER_HOST", "docker context \"ci\""
    /// What buildx keys builders and its current builder by: the docker context's name, or the
    /// host as given (DOCKER_HOST's value, the default socket) for the default context.
    std::string buildxKey;

    /// Returns the endpoint as a URL: unix:///path, tcp://host:port (TLS noted) or
    /// ssh://user@host:port/path.
    std::string url() const;

    /// Returns the engine as buildx names it in its store: the docker context (buildxKey),
    /// else url().
    std::string buildxName() const;
};

} // namespace hoist::engine
