#pragma once

#include "base/Problem.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hoist::builder
{

/// The buildkitd configuration a builder starts with, as buildx prepares it:
/// the TOML, with every registry CA/keypair path read from the client and rewritten to
/// /etc/buildkit/certs/<host>/<file>, plus those files; and the daemon flags with buildx's
/// network.host entitlement rule (§2.2).
class BuildkitdConfig
{
public:
    /// Reads a file the config names (a registry CA, cert or key) on this machine; throws
    /// Poco::Exception when it cannot.
    using ReadFile = std::function<std::string(const std::string& path)>;

    /// Loads a config from TOML text; source names it in messages (a path or "inline"); the
    /// files it names are read with read. Problems (unreadable cert files, unbalanced quotes
    /// or brackets) are appended to problems, each naming the file and line.
    static BuildkitdConfig fromToml(const std::string& toml, const std::string& source,
                                    const ReadFile& read, base::Problems& problems);

    /// Returns a reader of this machine's files.
    static ReadFile localFiles();

    /// Returns the files to copy under /etc/buildkit: "buildkitd.toml" and
    /// "certs/<host>/<file>" (empty when there is no config).
    const std::map<std::string, std::string>& files() const;

    /// Returns the registries the config speaks plain http to ([registry."HOST"] http = true).
    const std::set<std::string>& plainHttpRegistries() const;

    /// Returns the registries whose TLS certificate is not verified ([registry."HOST"]
    /// insecure = true).
    const std::set<std::string>& insecureRegistries() const;

    /// Returns the certificates (PEM) each registry's ca = [...] files hold, by host.
    const std::map<std::string, std::string>& registryCas() const;

    /// Returns true when the config's insecure-entitlements grant network.host.
    bool grantsNetworkHost() const;

    /// Returns buildkitd's flags from text (given as option), adding
    /// --allow-insecure-entitlement=network.host as buildx does (for network=host when not
    /// granted; or when no entitlement flag is given and the config grants none). Appends a
    /// problem naming option for text that does not split.
    static std::vector<std::string> flags(const std::string& text, const std::string& option,
                                          const std::string& network, bool configGrantsNetworkHost,
                                          base::Problems& problems);

    /// Returns the container's Cmd: --config /etc/buildkit/buildkitd.toml first when there is
    /// a config, then flags.
    std::vector<std::string> command(const std::vector<std::string>& flags) const;

    /// Returns the directory name buildx uses for a registry's certificates: every run of
    /// characters other than letters, digits, '.' and '-' becomes '_'.
    static std::string certDir(const std::string& host);

private:
    std::vector<std::string> copyFiles(const std::string& key,
                                       const std::vector<std::string>& paths,
                                       const std::string& registry, const std::string& where,
                                       const ReadFile& read, base::Problems& problems);
    std::map<std::string, std::string> _files;
    std::set<std::string> _plainHttp;
    std::set<std::string> _insecure;
    std::map<std::string, std::string> _registryCas;
    bool _grantsNetworkHost = false;
};

} // namespace hoist::builder
