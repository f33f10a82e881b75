// This file implements the distribution API client (OCI distribution spec; Docker's token
// authentication: docs/registry/spec/auth/token.md).

#include "registry/RegistryClient.h"

#include "base/Base64.h"
#include "base/Digest.h"
#include "base/Error.h"
#include "base/Log.h"
#include "base/Redactor.h"
#include "base/Strings.h"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/DigestStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <mutex>
#include <sstream>

namespace hoist::registry
{

namespace
{

std::string basic(const std::string& user, const std::string& password)
{
    return "Basic " + base::toBase64(user + ":" + password);
}

// The TLS context of a registry's https sessions: the server verified against this machine's
// CAs (and the registry's own, when it has some), or not at all (a registry the buildkitd
// config calls insecure).
Poco::Net::Context::Ptr tlsContext(const Access& access)
{
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
    const std::string ciphers = "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH";
    if (access.skipVerify)
        return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                      Poco::Net::Context::VERIFY_NONE, 9, false, ciphers);
    Poco::Net::Context::Ptr c =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                               Poco::Net::Context::VERIFY_RELAXED, 9, true, ciphers);
    static const std::string END = "-----END CERTIFICATE-----";
    for (std::string::size_type at = 0, end;
         (end = access.caPem.find(END, at)) != std::string::npos; at = end + END.size())
    {
        std::istringstream pem(access.caPem.substr(at, end + END.size() - at));
        c->addCertificateAuthority(Poco::Crypto::X509Certificate(pem));
    }
    return c;
}

std::unique_ptr<Poco::Net::HTTPClientSession>
openSession(const Poco::URI& uri, Poco::Timespan timeout, const Poco::Net::Context::Ptr& tls)
{
    std::unique_ptr<Poco::Net::HTTPClientSession> s;
    if (uri.getScheme() == "https")
        s = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
    else
        s = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    s->setTimeout(timeout);
    return s;
}

// The registry's own words for a refusal: {"errors": [{"code", "message"}]}.
std::string errorText(const std::string& body)
{
    try
    {
        auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        auto errors = o ? o->getArray("errors") : nullptr;
        std::vector<std::string> parts;
        for (std::size_t i = 0; errors && i < errors->size(); ++i)
        {
            auto e = errors->getObject(static_cast<unsigned>(i));
            parts.push_back(e->optValue<std::string>("code", "") + ": " +
                            e->optValue<std::string>("message", ""));
        }
        if (!parts.empty())
            return base::join(parts, "; ");
    }
    catch (const Poco::Exception&)
    {
    }
    return body.substr(0, 300);
}

// A manifest's media type: the Content-Type without parameters, else (missing or generic)
// the mediaType its body names.
std::string mediaTypeOf(const std::string& contentType, const std::string& body)
{
    std::string type = Poco::trim(contentType.substr(0, contentType.find(';')));
    if (!type.empty() && type != "application/json" && type != "application/octet-stream")
        return type;
    try
    {
        auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        return o->optValue<std::string>("mediaType", type);
    }
    catch (const Poco::Exception&)
    {
        return type;
    }
}

} // namespace

std::string Manifest::digestOf(const std::string& bytes)
{
    return "sha256:" + base::sha256Hex(bytes);
}

Challenge Challenge::parse(const std::string& header)
{
    Challenge c;
    const auto space = header.find(' ');
    c.scheme = Poco::toLower(header.substr(0, space));
    const std::string rest = space == std::string::npos ? "" : header.substr(space + 1);
    std::size_t i = 0;
    while (i < rest.size())
    {
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == ','))
            ++i;
        const auto eq = rest.find('=', i);
        if (eq == std::string::npos)
            break;
        const std::string key = Poco::toLower(Poco::trim(rest.substr(i, eq - i)));
        std::string value;
        i = eq + 1;
        if (i < rest.size() && rest[i] == '"')
        {
            const auto end = rest.find('"', i + 1);
            value = rest.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
            i = end == std::string::npos ? rest.size() : end + 1;
        }
        else
        {
            const auto end = rest.find(',', i);
            value =
                Poco::trim(rest.substr(i, end == std::string::npos ? std::string::npos : end - i));
            i = end == std::string::npos ? rest.size() : end;
        }
        c.params[key] = value;
    }
    return c;
}

const char* const RegistryClient::ACCEPT =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

Access RegistryHosts::of(const std::string& host) const
{
    auto ca = cas.find(host);
    return {plainHttp.count(host) > 0, insecure.count(host) > 0, ca == cas.end() ? "" : ca->second};
}

RegistryClient::RegistryClient(std::string host, Access access, LoginFor login,
                               Poco::Timespan timeout)
    : _host(std::move(host)),
      _apiHost(_host == "docker.io" || _host == "index.docker.io" ? "registry-1.docker.io" : _host),
      _access(access),
      _http(access.plainHttp && !access.skipVerify),
      _login(std::move(login)),
      _timeout(timeout)
{
}

RegistryClient::~RegistryClient() = default;

const std::string& RegistryClient::host() const
{
    return _host;
}

std::string RegistryClient::base() const
{
    return (_http ? "http://" : "https://") + _apiHost + "/v2";
}

RegistryClient::Reply RegistryClient::once(const std::string& method, const std::string& url,
                                           const std::map<std::string, std::string>& headers,
                                           const std::string& body, const Writer& writer,
                                           long long length, const Reader& reader)
{
    const Poco::URI uri(url);
    Reply r;
    try
    {
        if (!_tls && uri.getScheme() == "https")
            _tls = tlsContext(_access);
        auto session = openSession(uri, _timeout, _tls);
        Poco::Net::HTTPRequest req(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
        req.set("User-Agent", "hoist");
        for (const auto& [k, v] : headers)
            req.set(k, v);
        if (writer)
            req.setContentLength64(length);
        else if (!body.empty() || method == "PUT" || method == "POST")
            req.setContentLength64(static_cast<Poco::Int64>(body.size()));
        std::ostream& out = session->sendRequest(req);
        if (writer)
            writer(out);
        else
            out << body;
        Poco::Net::HTTPResponse resp;
        std::istream& in = session->receiveResponse(resp);
        r.status = resp.getStatus();
        for (const auto& [k, v] : resp)
            r.headers[Poco::toLower(k)] = v;
        if (reader && r.status >= 200 && r.status < 300)
            reader(in);
        else if (method != "HEAD")
            Poco::StreamCopier::copyToString(in, r.body);
    }
    catch (const Poco::Net::NetException& e)
    {
        // BuildKit's resolver: an insecure registry that may speak http is tried over https
        // first, then over http. Only the registry's own API, only when the TLS handshake
        // failed (nothing was sent or read yet), on the same host and port, from then on.
        const std::string https = "https://" + _apiHost + "/";
        if (dynamic_cast<const Poco::Net::SSLException*>(&e) && _access.plainHttp && !_http &&
            base::startsWith(url, https))
        {
            _http = true;
            return once(method, "http://" + url.substr(8), headers, body, writer, length, reader);
        }
        throw base::UnavailableException(
            "the registry " + _host + " cannot be reached: " + e.displayText() +
            (dynamic_cast<const Poco::Net::SSLException*>(&e) && !_access.skipVerify
                 ? "\nhint: a registry whose certificate this machine does not trust: set "
                   "insecure = true under [registry.\"" +
                       _host + "\"] in the builders' buildkitd config"
                 : ""));
    }
    catch (const Poco::TimeoutException& e)
    {
        throw base::UnavailableException("the registry " + _host +
                                         " did not answer in time: " + e.displayText());
    }
    // The path only: a redirect's query carries a storage service's signature.
    base::Log::get("registry")
        .debug("%s %s%s -> %d", method, uri.getHost(), uri.getPath(), r.status);
    return r;
}

RegistryClient::Reply RegistryClient::send(const std::string& method, const std::string& url,
                                           const std::string& scope,
                                           const std::map<std::string, std::string>& headers,
                                           const std::string& body, const Writer& writer,
                                           long long length, const Reader& reader)
{
    auto h = headers;
    // Credentials go to the registry only, never to a host an upload location names.
    const Poco::URI to(url), registry(base());
    const bool own = to.getHost() == registry.getHost() && to.getPort() == registry.getPort();
    auto known = _authorization.find(scope);
    if (own && known != _authorization.end())
        h["Authorization"] = known->second;
    Reply r = once(method, url, h, body, writer, length, reader);
    auto challenge = r.headers.find("www-authenticate");
    if (!own || r.status != 401 || challenge == r.headers.end() || writer)
        return r;
    const std::string auth = authorize(challenge->second, scope);
    if (auth.empty())
        return r;
    _authorization[scope] = auth;
    h["Authorization"] = auth;
    return once(method, url, h, body, writer, length, reader);
}

std::string RegistryClient::authorize(const std::string& challenge, const std::string& scope)
{
    const Challenge c = Challenge::parse(challenge);
    const engine::Credentials creds = _login(_host);
    if (c.scheme == "basic")
        return creds.username.empty() ? "" : basic(creds.username, creds.password);
    if (c.scheme != "bearer" || !c.params.count("realm"))
        return "";
    return "Bearer " + token(c.params, scope);
}

std::string RegistryClient::token(const std::map<std::string, std::string>& params,
                                  const std::string& scope)
{
    Poco::URI realm(params.at("realm"));
    const engine::Credentials creds = _login(_host);
    std::vector<std::string> scopes = scope.empty() && params.count("scope")
                                          ? std::vector<std::string>{params.at("scope")}
                                          : base::split(scope, ' ');
    const std::string service = params.count("service") ? params.at("service") : "";
    Reply r;
    if (!creds.identityToken.empty())
    {
        // An identity token is an OAuth2 refresh token for the realm.
        std::string form = "grant_type=refresh_token&client_id=hoist&refresh_token=";
        std::string enc;
        Poco::URI::encode(creds.identityToken, "&=+", enc);
        form += enc + "&service=" + service;
        for (const auto& s : scopes)
            form += "&scope=" + s;
        r = once("POST", realm.toString(), {{"Content-Type", "application/x-www-form-urlencoded"}},
                 form, {}, -1, {});
    }
    else
    {
        if (!service.empty())
            realm.addQueryParameter("service", service);
        for (const auto& s : scopes)
            realm.addQueryParameter("scope", s);
        std::map<std::string, std::string> h;
        if (!creds.username.empty())
            h["Authorization"] = basic(creds.username, creds.password);
        r = once("GET", realm.toString(), h, "", {}, -1, {});
    }
    if (r.status != 200)
        refused("a token for " + base::join(scopes, " "), r);
    try
    {
        auto o = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
        std::string t = o->optValue<std::string>("token", "");
        if (t.empty())
            t = o->optValue<std::string>("access_token", "");
        base::Redactor::instance().add(t);
        return t;
    }
    catch (const Poco::Exception&)
    {
        Reply quiet = r;
        quiet.body.clear(); // it may hold a token in another form
        refused("a token (its answer is not JSON)", quiet);
    }
}

void RegistryClient::refused(const std::string& what, const Reply& r) const
{
    std::string hint;
    if (r.status == 401 || r.status == 403)
        hint = "\nhint: log in to " + _host + " (docker login, or the CI's registry login)";
    throw base::UnavailableException("the registry " + _host + " refused " + what + " (" +
                                     std::to_string(r.status) + " " + errorText(r.body) + ")" +
                                     hint);
}

std::optional<Manifest> RegistryClient::manifest(const std::string& repository,
                                                 const std::string& reference)
{
    Reply r = send("GET", base() + "/" + repository + "/manifests/" + reference,
                   "repository:" + repository + ":pull", {{"Accept", ACCEPT}}, "");
    if (r.status == 404)
        return std::nullopt;
    if (r.status != 200)
        refused("the manifest " + repository + ":" + reference, r);
    Manifest m{mediaTypeOf(r.headers["content-type"], r.body), Manifest::digestOf(r.body), r.body};
    if (base::startsWith(reference, "sha256:") && m.digest != reference)
        throw base::UnavailableException("the registry " + _host + " answered " + repository + "@" +
                                         reference + " with bytes whose digest is " + m.digest);
    return m;
}

std::string RegistryClient::blob(const std::string& repository, const std::string& digest)
{
    std::string out;
    copyOut(repository, digest,
            [&](std::istream& in) { Poco::StreamCopier::copyToString(in, out); });
    return out;
}

void RegistryClient::copyOut(const std::string& repository, const std::string& digest,
                             const Reader& reader)
{
    Reply r = send("GET", base() + "/" + repository + "/blobs/" + digest,
                   "repository:" + repository + ":pull", {}, "", {}, -1, reader);
    for (int hops = 0; r.status >= 300 && r.status < 400 && hops < 5; ++hops)
    {
        // A blob store behind the registry: the redirect carries its own authorization.
        const Poco::URI next(Poco::URI(base()), r.headers["location"]);
        r = once("GET", next.toString(), {}, "", {}, -1, reader);
    }
    if (r.status != 200)
        refused("the blob " + repository + "@" + digest, r);
}

bool RegistryClient::hasBlob(const std::string& repository, const std::string& digest)
{
    Reply r = send("HEAD", base() + "/" + repository + "/blobs/" + digest,
                   "repository:" + repository + ":pull", {}, "");
    return r.status == 200 || r.status == 307;
}

bool RegistryClient::mountBlob(const std::string& repository, const std::string& digest,
                               const std::string& from)
{
    Reply r = send("POST",
                   base() + "/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + from,
                   "repository:" + repository + ":pull,push repository:" + from + ":pull", {}, "");
    // Not mounted (202: an upload session was opened instead; or refused): the blob is
    // copied, as containerd falls back to.
    return r.status == 201;
}

void RegistryClient::copyBlob(RegistryClient& source, const std::string& fromRepository,
                              const std::string& repository, const std::string& digest,
                              long long size)
{
    upload(repository, digest, size,
           [&](std::ostream& out)
           {
               Poco::UInt64 copied = 0;
               source.copyOut(fromRepository, digest,
                              [&](std::istream& in)
                              { copied = Poco::StreamCopier::copyStream64(in, out); });
               if (static_cast<long long>(copied) != size)
                   throw base::UnavailableException("the registry " + source.host() + " sent " +
                                                    std::to_string(copied) + " of " +
                                                    std::to_string(size) + " bytes of " +
                                                    fromRepository + "@" + digest);
           });
}

void RegistryClient::putBlob(const std::string& repository, const std::string& digest,
                             long long size, const std::function<void(std::ostream&)>& write)
{
    if (!hasBlob(repository, digest))
        upload(repository, digest, size, write);
}

void RegistryClient::readBlob(const std::string& repository, const std::string& digest,
                              const std::function<void(std::istream&)>& read)
{
    copyOut(repository, digest, read);
}

void RegistryClient::upload(const std::string& repository, const std::string& digest,
                            long long size, const Writer& write)
{
    const std::string scope = "repository:" + repository + ":pull,push";
    Reply start = send("POST", base() + "/" + repository + "/blobs/uploads/", scope, {}, "");
    if (start.status != 202)
        refused("an upload to " + repository, start);
    Poco::URI location(Poco::URI(base()), start.headers["location"]);
    location.addQueryParameter("digest", digest);
    Reply put = send("PUT", location.toString(), scope,
                     {{"Content-Type", "application/octet-stream"}}, "", write, size);
    if (put.status != 201)
        refused("the blob " + digest + " for " + repository, put);
}

std::string RegistryClient::putManifest(const std::string& repository, const std::string& reference,
                                        const Manifest& m)
{
    Reply r =
        send("PUT", base() + "/" + repository + "/manifests/" + reference,
             "repository:" + repository + ":pull,push", {{"Content-Type", m.mediaType}}, m.body);
    if (r.status != 201 && r.status != 200)
        refused("the manifest " + repository + ":" + reference, r);
    auto d = r.headers.find("docker-content-digest");
    return d == r.headers.end() ? m.digest : d->second;
}

} // namespace hoist::registry
