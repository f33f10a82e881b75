#pragma once

#include <map>
#include <string>

namespace hoist::builder
{

/// A builder on a BuildKit daemon that hoist neither runs nor changes (buildx's remote
/// driver): where the daemon is, how to reach it, and the local BuildKit image whose buildctl
/// talks to it. Resolved from options or buildx's store by the caller.
struct RemoteSpec
{
    std::string name;        /// the builder name
    std::string endpoint;    /// "tcp://HOST:PORT" or "unix:///PATH", as buildx's remote driver
    std::string cacert;      /// the CA's path, as buildx's store keeps it; "" none (no TLS)
    std::string cert;        /// the client certificate's path; "" none
    std::string key;         /// the client key's path; "" none
    std::string serverName;  /// the name the daemon's certificate must hold; "" its host
    std::string defaultLoad; /// buildx's default-load as given ("" unset)
    std::string clientImage; /// the BuildKit image whose buildctl runs on the local engine
    std::string session;     /// who runs this job (the client container's label)

    /// Returns true when the daemon is reached over TLS (a CA is given).
    bool tls() const;

    /// Returns the name the daemon's certificate is checked against: serverName, else the
    /// endpoint's host.
    std::string tlsServerName() const;

    /// Returns buildx's driver options for its store: only the keys buildx's remote driver
    /// knows, the paths as given.
    std::map<std::string, std::string> driverOpts() const;
};

/// The certificates' contents, read by the caller: they reach the client container only as
/// files in memory, never argv, the environment, a label or a layer.
struct RemoteTls
{
    std::string ca;
    std::string cert;
    std::string key;
};

} // namespace hoist::builder
