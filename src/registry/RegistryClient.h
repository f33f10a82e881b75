#pragma once

#include "engine/RegistryAuth.h"

#include <Poco/Net/Context.h>
#include <Poco/Timespan.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace hoist::registry
{

/// A manifest or an index as a registry holds it: the exact bytes, whose sha256 is its digest.
struct Manifest
{
    std::string mediaType;
    std::string digest;
    std::string body;

    /// Returns the OCI digest of bytes: "sha256:<hex>".
    static std::string digestOf(const std::string& bytes);
};

/// A WWW-Authenticate challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm=…`.
struct Challenge
{
    std::string scheme;                        /// lower-case: "bearer", "basic"
    std::map<std::string, std::string> params; /// lower-case keys, values unquoted

    /// Parses a WWW-Authenticate header's value; quoted values may hold commas.
    static Challenge parse(const std::string& header);
};

/// How hoist reaches a registry, as a buildkitd config's [registry."HOST"] says and BuildKit's
/// resolver reads it: plain http (http = true); TLS without verifying the server (insecure =
/// true), and with http = true too, plain http when TLS fails; else TLS verified against this
/// machine's CAs and the registry's own (ca = [...]).
struct Access
{
    bool plainHttp = false;
    bool skipVerify = false;
    std::string caPem; /// certificates trusted for it beside this machine's (ca = [...])
};

/// The registries reached otherwise than by verified TLS.
struct RegistryHosts
{
    std::set<std::string> plainHttp;        /// http = true, or --insecure-registry
    std::set<std::string> insecure;         /// insecure = true
    std::map<std::string, std::string> cas; /// ca = [...]: the certificates (PEM), by host

    /// Returns how host is reached.
    Access of(const std::string& host) const;
};

/// Speaks the OCI distribution API to one registry host, with Docker's authentication: a
/// request answered 401 is sent again with what its WWW-Authenticate asks — a bearer token from
/// the realm (basic credentials, or an identity token as a refresh token, sent to it), or basic
/// credentials — tokens kept per scope. Blobs are streamed in constant memory; a blob GET that
/// redirects (to a storage service) is followed. Credentials never appear in logs or messages.
class RegistryClient
{
public:
    /// Returns the credentials for a registry host, as the docker CLI finds them.
    using LoginFor = std::function<engine::Credentials(const std::string& host)>;

    /// A client for host ("ghcr.io", "localhost:5000"; "docker.io" means Docker Hub), reached
    /// as access says.
    RegistryClient(std::string host, Access access, LoginFor login,
                   Poco::Timespan timeout = Poco::Timespan(120, 0));
    ~RegistryClient();

    RegistryClient(const RegistryClient&) = delete;
    RegistryClient& operator=(const RegistryClient&) = delete;

    /// Returns the host as given.
    const std::string& host() const;

    /// GET the manifest or index of repository at reference (a tag or a digest), any of the
    /// OCI and Docker media types; std::nullopt when the registry has none. Throws
    /// base::UnavailableException (the registry cannot be reached or refuses).
    std::optional<Manifest> manifest(const std::string& repository, const std::string& reference);

    /// Returns a small blob (an image config) whole. Throws as manifest().
    std::string blob(const std::string& repository, const std::string& digest);

    /// Returns true when repository has the blob.
    bool hasBlob(const std::string& repository, const std::string& digest);

    /// Asks the registry to mount a blob of from into repository (no bytes move); returns
    /// false when it would not (the blob must then be copied).
    bool mountBlob(const std::string& repository, const std::string& digest,
                   const std::string& from);

    /// Copies a blob of size bytes from source's fromRepository into repository, streaming.
    void copyBlob(RegistryClient& source, const std::string& fromRepository,
                  const std::string& repository, const std::string& digest, long long size);

    /// Uploads a blob of size bytes that write writes, under digest, to repository (one
    /// monolithic PUT after the upload's POST). Does nothing when the registry has it.
    /// Throws base::UnavailableException when the registry refuses.
    void putBlob(const std::string& repository, const std::string& digest, long long size,
                 const std::function<void(std::ostream&)>& write);

    /// Streams a blob of repository to read. Throws base::UnavailableException when the
    /// registry does not have it or refuses.
    void readBlob(const std::string& repository, const std::string& digest,
                  const std::function<void(std::istream&)>& read);

    /// PUTs m under repository at reference (a tag or its digest); returns the digest the
    /// registry gives. Throws base::UnavailableException when it refuses.
    std::string putManifest(const std::string& repository, const std::string& reference,
                            const Manifest& m);

    /// Returns the media types a manifest GET accepts.
    static const char* const ACCEPT;

private:
    struct Session;
    struct Reply
    {
        int status = 0;
        std::map<std::string, std::string> headers;
        std::string body;
    };
    using Writer = std::function<void(std::ostream&)>;
    using Reader = std::function<void(std::istream&)>;

    Reply send(const std::string& method, const std::string& url, const std::string& scope,
               const std::map<std::string, std::string>& headers, const std::string& body,
               const Writer& writer = {}, long long length = -1, const Reader& reader = {});
    Reply once(const std::string& method, const std::string& url,
               const std::map<std::string, std::string>& headers, const std::string& body,
               const Writer& writer, long long length, const Reader& reader);
    void copyOut(const std::string& repository, const std::string& digest, const Reader& reader);
    void upload(const std::string& repository, const std::string& digest, long long size,
                const Writer& write);
    std::string authorize(const std::string& challenge, const std::string& scope);
    std::string token(const std::map<std::string, std::string>& params, const std::string& scope);
    std::string base() const;
    [[noreturn]] void refused(const std::string& what, const Reply& r) const;

    std::string _host;
    std::string _apiHost; /// registry-1.docker.io for Docker Hub
    Access _access;
    bool _http;                   /// speaking plain http (asked, or fallen back to)
    Poco::Net::Context::Ptr _tls; /// the TLS context of its https sessions
    LoginFor _login;
    Poco::Timespan _timeout;
    std::map<std::string, std::string> _authorization; /// scope → Authorization value
};

} // namespace hoist::registry
