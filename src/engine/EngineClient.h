#pragma once

#include "engine/Endpoint.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace hoist::engine
{

class Transport;
struct Hijacked;

/// One request to the engine. path is relative to the negotiated version, e.g.
/// "/containers/json?all=1"; set versioned=false for "/_ping".
struct Request
{
    std::string method = "GET";
    std::string path;
    std::string body;        /// sent with Content-Length when not empty
    std::string contentType; /// defaults to application/json when body is set
    std::map<std::string, std::string> headers;
    bool versioned = true;
    bool idempotent = false; /// may be sent again after a connection failure mid-request
};

/// A complete response held in memory (for JSON answers, not for streams).
struct Response
{
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;

    /// Parses body as a JSON object. Throws EngineApiException when it is not one.
    Poco::JSON::Object::Ptr json() const;
};

/// What /_ping tells about the engine.
struct PingInfo
{
    std::string apiVersion; /// the engine's maximum API version ("1.24" when it says none)
    std::string osType;
    std::string server; /// the Server header, e.g. "Docker/20.10.24 (linux)"
};

/// The Docker Engine API client: negotiates the API version from /_ping, sends requests with
/// the rules Go's server insists on (HTTP/1.1, Host, JSON content type), turns error bodies into
/// EngineApiException, and streams large bodies in constant memory. Each request uses its own
/// connection. Logs every request at debug level as "VERB path -> status (ms)".
class EngineClient
{
public:
    /// The highest API version hoist knows; the negotiated version is the lower of this and
    /// the engine's.
    static constexpr const char* MAX_API_VERSION = "1.47";

    /// A client over transport; apiVersion, when set, skips negotiation (DOCKER_API_VERSION).
    explicit EngineClient(Transport transport, std::string apiVersion = "");

    /// Closes nothing: every request has already closed its own connection.
    ~EngineClient();

    EngineClient(const EngineClient&) = delete;
    EngineClient& operator=(const EngineClient&) = delete;

    /// Returns the transport.
    const Transport& transport() const;

    /// Returns the endpoint the transport connects to.
    const Endpoint& endpoint() const;

    /// Pings the engine (unversioned /_ping). Throws base::UnavailableException when it
    /// cannot be reached.
    PingInfo ping();

    /// Returns the negotiated API version, pinging once to learn it.
    const std::string& apiVersion();

    /// Sends request and returns the response with its body. Throws EngineApiException for a
    /// status >= 400 (the daemon's message included), base::UnavailableException when the
    /// engine cannot be reached.
    Response send(const Request& request);

    /// Sends request and returns its JSON object, or nullptr when the engine answers 404
    /// (no such object). Throws as send() for anything else.
    Poco::JSON::Object::Ptr findJson(const Request& request);

    /// Sends request; returns false when the engine answers 404 (nothing to act on). Throws as
    /// send() for anything else.
    bool sendUnlessMissing(const Request& request);

    /// Sends request, streaming its body from writeBody (chunked) when given, and hands the
    /// response body to readBody as a stream. Throws as send() does; a status >= 400 is thrown
    /// before readBody is called.
    void stream(const Request& request, const std::function<void(std::ostream&)>& writeBody,
                const std::function<void(std::istream&)>& readBody);

    /// Sends request asking to upgrade the connection and returns the connection taken over
    /// (exec's hijacked stream; engine/Hijacked.h). Throws as send(), and EngineApiException
    /// when the engine answers neither 101 nor 200.
    std::unique_ptr<Hijacked> upgrade(const Request& request);

    /// Returns "/v<version><path>" (or path when not versioned), with the endpoint's base path.
    std::string fullPath(const Request& request);

    /// Returns the daemon's message from an error body ({"message": …}, else the raw text).
    static std::string errorMessage(const std::string& body);

private:
    using ReadResponse = std::function<void(std::istream&, const Response&)>;

    void exchange(const Request& request, const std::function<void(std::ostream&)>& writeBody,
                  const ReadResponse& readBody);

    std::unique_ptr<Transport> _transport;
    std::string _apiVersion;
};

/// Returns s percent-encoded for a query parameter value.
std::string queryEscape(const std::string& s);

/// Returns an image reference percent-encoded for a path whose route takes the rest of the
/// path ("/images/{name:.*}/json"): '/', ':' and '@' stay as they are.
std::string refPathEscape(const std::string& ref);

/// Returns the query parameter "filters=…" that selects by one filter, e.g. label=key=value.
std::string filtersQuery(const std::string& key, const std::string& value);

} // namespace hoist::engine
