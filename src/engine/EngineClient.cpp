// This file implements the request layer of the engine client: version negotiation, request
// construction, error decoding and streaming.

#include "engine/EngineClient.h"

#include "base/Error.h"
#include "base/Log.h"
#include "engine/EngineError.h"
#include "engine/Hijacked.h"
#include "engine/Transport.h"

#include <Poco/Buffer.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <sstream>

namespace hoist::engine
{

namespace
{

// Compares "1.41" and "1.47" as versions.
bool versionLess(const std::string& a, const std::string& b)
{
    auto parse = [](const std::string& v, int& major, int& minor)
    {
        auto dot = v.find('.');
        major = Poco::NumberParser::parse(v.substr(0, dot));
        minor = dot == std::string::npos ? 0 : Poco::NumberParser::parse(v.substr(dot + 1));
    };
    int am, an, bm, bn;
    parse(a, am, an);
    parse(b, bm, bn);
    return am != bm ? am < bm : an < bn;
}

// Returns the HTTP request for request at path.
Poco::Net::HTTPRequest prepare(const Request& request, const std::string& path,
                               const std::string& host)
{
    // Poco defaults to HTTP/1.0, on which Go ignores chunked bodies.
    Poco::Net::HTTPRequest req(request.method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(host);
    req.set("User-Agent", "hoist");
    for (const auto& [name, value] : request.headers)
        req.set(name, value);
    if (!request.body.empty())
    {
        req.setContentType(request.contentType.empty() ? "application/json" : request.contentType);
        req.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    return req;
}

// Logs one request at debug level as "VERB path -> status (ms)".
void logRequest(const Request& request, const std::string& path, int status,
                Poco::Timestamp::TimeDiff micros)
{
    Poco::Logger& log = base::Log::get("engine");
    if (log.debug())
        log.debug("%s %s -> %d (%ld ms)", request.method, path, status,
                  static_cast<long>(micros / 1000));
}

} // namespace

Poco::JSON::Object::Ptr Response::json() const
{
    try
    {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw EngineApiException("decoding the engine's answer", status,
                                 "not a JSON object: " + e.displayText());
    }
}

EngineClient::EngineClient(Transport transport, std::string apiVersion)
    : _transport(std::make_unique<Transport>(std::move(transport))),
      _apiVersion(std::move(apiVersion))
{
}

EngineClient::~EngineClient() = default;

const Transport& EngineClient::transport() const
{
    return *_transport;
}

const Endpoint& EngineClient::endpoint() const
{
    return _transport->endpoint();
}

PingInfo EngineClient::ping()
{
    Request r;
    r.path = "/_ping";
    r.versioned = false;
    r.idempotent = true;
    Response resp = send(r);
    PingInfo info;
    auto get = [&](const char* name)
    {
        auto it = resp.headers.find(name);
        return it == resp.headers.end() ? std::string() : it->second;
    };
    info.apiVersion = get("Api-Version");
    if (info.apiVersion.empty())
        info.apiVersion = "1.24";
    info.osType = get("Ostype");
    info.server = get("Server");
    return info;
}

const std::string& EngineClient::apiVersion()
{
    if (_apiVersion.empty())
    {
        std::string engine = ping().apiVersion;
        try
        {
            _apiVersion = versionLess(engine, MAX_API_VERSION) ? engine : MAX_API_VERSION;
        }
        catch (const Poco::SyntaxException&)
        {
            throw EngineApiException(
                "GET /_ping", 200, "the engine sent an unreadable Api-Version \"" + engine + "\"");
        }
        base::Log::get("engine").debug("API version %s (engine's maximum %s)", _apiVersion, engine);
    }
    return _apiVersion;
}

std::string EngineClient::fullPath(const Request& request)
{
    std::string prefix = _transport->endpoint().basePath;
    if (request.versioned)
        prefix += "/v" + apiVersion();
    return prefix + request.path;
}

Response EngineClient::send(const Request& request)
{
    Response out;
    exchange(request, nullptr,
             [&](std::istream& in, const Response& head)
             {
                 out = head;
                 Poco::StreamCopier::copyToString(in, out.body);
             });
    return out;
}

void EngineClient::stream(const Request& request,
                          const std::function<void(std::ostream&)>& writeBody,
                          const std::function<void(std::istream&)>& readBody)
{
    exchange(request, writeBody, [&](std::istream& in, const Response&) { readBody(in); });
}

void EngineClient::exchange(const Request& request,
                            const std::function<void(std::ostream&)>& writeBody,
                            const ReadResponse& readBody)
{
    const std::string path = fullPath(request);
    const std::string what = request.method + " " + path;
    const int attempts = request.idempotent && !writeBody ? 3 : 1;
    for (int attempt = 1;; ++attempt)
    {
        Poco::Timestamp started;
        std::unique_ptr<Poco::Net::HTTPClientSession> session = _transport->open();
        Poco::Net::HTTPRequest req = prepare(request, path, _transport->hostHeader());
        if (writeBody)
        {
            req.setChunkedTransferEncoding(true);
            if (request.headers.find("Content-Type") == request.headers.end())
                req.setContentType("application/x-tar");
        }
        else if (request.body.empty())
        {
            // Without a length Poco sends a POST body "until close", and the engine cancels
            // a pull when it sees that end.
            req.setContentLength(0);
        }
        Poco::Net::HTTPResponse resp;
        std::istream* in = nullptr;
        std::ostream* body = nullptr;
        try
        {
            body = &session->sendRequest(req);
        }
        catch (const Poco::Net::NetException& e)
        {
            // Nothing was sent: a TLS session connects and handshakes here.
            if (attempt < attempts)
                continue;
            throw _transport->unreachable(e);
        }
        try
        {
            if (writeBody)
                writeBody(*body);
            else if (!request.body.empty())
                *body << request.body;
            in = &session->receiveResponse(resp);
        }
        catch (const Poco::Net::NetException& e)
        {
            if (attempt < attempts)
            {
                base::Log::get("engine").debug("%s: %s; retrying", what, e.displayText());
                continue;
            }
            // Through ssh, a connection that ends unanswered is mostly ssh failing to log in.
            if (_transport->endpoint().kind == Endpoint::Kind::Ssh)
                throw _transport->unreachable(e);
            throw base::UnavailableException(
                "the Docker engine at " + _transport->endpoint().url() + " dropped the request " +
                what + ": " + e.displayText());
        }
        catch (const Poco::TimeoutException& e)
        {
            throw base::RetryableException("the Docker engine at " + _transport->endpoint().url() +
                                           " did not answer " + what +
                                           " in time: " + e.displayText());
        }
        const int status = resp.getStatus();
        logRequest(request, path, status, started.elapsed());
        if (status >= 400)
        {
            std::string body;
            Poco::StreamCopier::copyToString(*in, body);
            throw EngineApiException(what, status, errorMessage(body));
        }
        Response head;
        head.status = status;
        for (const auto& [name, value] : resp)
            head.headers[name] = value;
        readBody(*in, head);
        return;
    }
}

Poco::JSON::Object::Ptr EngineClient::findJson(const Request& request)
{
    try
    {
        return send(request).json();
    }
    catch (const EngineApiException& e)
    {
        if (e.status() == 404)
            return nullptr;
        throw;
    }
}

bool EngineClient::sendUnlessMissing(const Request& request)
{
    try
    {
        send(request);
        return true;
    }
    catch (const EngineApiException& e)
    {
        if (e.status() == 404)
            return false;
        throw;
    }
}

std::unique_ptr<Hijacked> EngineClient::upgrade(const Request& request)
{
    const std::string path = fullPath(request);
    const std::string what = request.method + " " + path;
    Poco::Timestamp started;
    std::unique_ptr<Poco::Net::HTTPClientSession> session = _transport->open();
    // Without keep-alive Poco overwrites "Connection: Upgrade" with "Close".
    session->setKeepAlive(true);
    Poco::Net::HTTPRequest req = prepare(request, path, _transport->hostHeader());
    req.set("Connection", "Upgrade");
    req.set("Upgrade", "tcp");
    std::ostream* body = nullptr;
    try
    {
        body = &session->sendRequest(req);
    }
    catch (const Poco::Net::NetException& e)
    {
        throw _transport->unreachable(e);
    }
    *body << request.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    const int status = response.getStatus();
    logRequest(request, path, status, started.elapsed());
    if (status >= 400)
    {
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        throw EngineApiException(what, status, errorMessage(text));
    }
    if (status != 101 && status != 200)
        throw EngineApiException(what, status, "expected 101 UPGRADED");
    auto out = std::make_unique<Hijacked>();
    // Bytes that came with the 101 headers are in the session's buffer, not the socket.
    Poco::Buffer<char> early(0);
    session->drainBuffer(early);
    out->early.assign(early.begin(), early.size());
    out->socket = session->detachSocket();
    return out;
}

std::string EngineClient::errorMessage(const std::string& body)
{
    try
    {
        auto obj = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        if (obj && obj->has("message"))
            return obj->getValue<std::string>("message");
    }
    catch (const Poco::Exception&)
    {
    }
    std::string text = body;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text.empty() ? "(no message)" : text;
}

std::string queryEscape(const std::string& s)
{
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]\" %<>{}|\\^`", out);
    return out;
}

std::string refPathEscape(const std::string& ref)
{
    std::string out;
    Poco::URI::encode(ref, "!#$&'()*+,;=?[]\" %<>{}|\\^`", out);
    return out;
}

std::string filtersQuery(const std::string& key, const std::string& value)
{
    Poco::JSON::Object filters;
    Poco::JSON::Array values;
    values.add(value);
    filters.set(key, values);
    std::ostringstream out;
    filters.stringify(out);
    return "filters=" + queryEscape(out.str());
}

} // namespace hoist::engine
