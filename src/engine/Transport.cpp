// This file implements the engine connections: which socket to open, how to wrap it for TLS,
// and how to turn a failure to connect into a message that says what to do.

#include "engine/Transport.h"

#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "engine/SshDialer.h"

#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Thread.h>

#include <cerrno>
#include <mutex>

namespace hoist::engine
{

namespace
{

std::string hintFor(const Endpoint& e, const Poco::Exception& exc)
{
    const std::string what = exc.displayText();
    if (e.kind == Endpoint::Kind::Ssh)
        return "hint: hoist runs ssh " +
               base::join(SshDialer::arguments(e, Poco::Timespan(30, 0)), " ") +
               " as the docker CLI does: that must work from here without a prompt (a key from "
               "ssh-agent or ~/.ssh/config, the host in known_hosts, docker on the far side)";
    if (e.kind == Endpoint::Kind::Unix)
    {
        if (what.find("ermission denied") != std::string::npos)
            return "hint: your user may not use \"" + e.socketPath +
                   "\": add it to the docker group (then log in again), or run as root";
        return "hint: start the Docker engine, or point DOCKER_HOST at one (e.g. "
               "tcp://docker:2376 for a GitLab docker:dind service)";
    }
    if (dynamic_cast<const Poco::Net::HostNotFoundException*>(&exc) ||
        dynamic_cast<const Poco::Net::NoAddressFoundException*>(&exc) ||
        what.find("resolve") != std::string::npos)
        return "hint: the host \"" + e.host +
               "\" does not resolve; in GitLab CI declare the service with "
               "'services: [{name: docker:dind, alias: docker}]'";
    if (dynamic_cast<const Poco::Net::SSLException*>(&exc))
        return "hint: the TLS handshake failed; check that DOCKER_CERT_PATH holds the ca.pem, "
               "cert.pem and key.pem of this engine, and that the engine speaks TLS on this port";
    return "hint: is the engine listening on " + e.host + ":" + std::to_string(e.port) +
           (e.tls ? " with TLS" : "") +
           "? In GitLab CI the docker:dind service may still be starting; with TLS it listens on "
           "2376, without on 2375";
}

bool transient(const Poco::Exception& exc)
{
    return dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&exc) ||
           dynamic_cast<const Poco::TimeoutException*>(&exc) ||
           dynamic_cast<const Poco::Net::ConnectionResetException*>(&exc);
}

} // namespace

Transport::Transport(Endpoint endpoint, Timeouts timeouts)
    : _endpoint(std::move(endpoint)), _timeouts(timeouts)
{
    if (_endpoint.kind != Endpoint::Kind::Tcp || !_endpoint.tls)
        return;
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
    try
    {
        _tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, _endpoint.keyFile,
                                      _endpoint.certFile, _endpoint.caFile,
                                      _endpoint.verify ? Poco::Net::Context::VERIFY_RELAXED
                                                       : Poco::Net::Context::VERIFY_NONE,
                                      9, false, "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
        _tls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException("cannot load the TLS files for " + _endpoint.url() + " (" +
                                    _endpoint.origin + "): " + e.displayText());
    }
}

std::unique_ptr<Poco::Net::HTTPClientSession> Transport::open() const
{
    // A refused or timed-out connect sent nothing, so it is safe to try again for any request;
    // dind services in particular accept connections a moment after the job starts.
    const int attempts = 3;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return connectOnce();
        }
        catch (const base::UnavailableException&)
        {
            throw;
        }
        catch (const Poco::Exception& e)
        {
            if (attempt < attempts && transient(e))
            {
                base::Log::get("engine").debug("connect to %s failed (%s); retrying",
                                               _endpoint.url(), e.displayText());
                Poco::Thread::sleep(250 * attempt);
                continue;
            }
            throw base::UnavailableException(
                "cannot reach the Docker engine at " + _endpoint.url() + " (chosen by " +
                _endpoint.origin + "): " + e.displayText() + "\n" + hintFor(_endpoint, e));
        }
    }
}

std::unique_ptr<Poco::Net::HTTPClientSession> Transport::connectOnce() const
{
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (_endpoint.kind == Endpoint::Kind::Ssh)
    {
        auto process = std::make_shared<SshProcess>();
        {
            std::lock_guard<std::mutex> lock(_ssh->mutex);
            _ssh->process = process;
        }
        Poco::Net::StreamSocket socket = SshDialer::dial(_endpoint, _timeouts.connect, process);
        socket.setReceiveTimeout(_timeouts.idle);
        socket.setSendTimeout(_timeouts.idle);
        session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
    }
    else if (_endpoint.kind == Endpoint::Kind::Unix)
    {
        Poco::Net::StreamSocket socket;
        socket.connect(
            Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, _endpoint.socketPath),
            _timeouts.connect);
        socket.setReceiveTimeout(_timeouts.idle);
        socket.setSendTimeout(_timeouts.idle);
        session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
    }
    else if (!_endpoint.tls)
    {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress(_endpoint.host, _endpoint.port), _timeouts.connect);
        socket.setReceiveTimeout(_timeouts.idle);
        socket.setSendTimeout(_timeouts.idle);
        socket.setNoDelay(true);
        session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
    }
    else
    {
        // Poco connects (and handshakes) a TLS session on its first request; a failure then
        // reaches the caller through unreachable().
        session =
            std::make_unique<Poco::Net::HTTPSClientSession>(_endpoint.host, _endpoint.port, _tls);
    }
    session->setTimeout(_timeouts.connect, _timeouts.idle, _timeouts.idle);
    return session;
}

base::UnavailableException Transport::unreachable(const Poco::Exception& cause) const
{
    std::string why = cause.displayText();
    std::shared_ptr<SshProcess> ssh;
    {
        std::lock_guard<std::mutex> lock(_ssh->mutex);
        ssh = _ssh->process;
    }
    // ssh's own words say why far better than a closed connection does.
    const std::string words = ssh ? ssh->words(Poco::Timespan(2, 0)) : "";
    if (!words.empty())
        why = words.rfind("ssh:", 0) == 0 ? words : "ssh: " + words;
    return base::UnavailableException("cannot reach the Docker engine at " + _endpoint.url() +
                                      " (chosen by " + _endpoint.origin + "): " + why + "\n" +
                                      hintFor(_endpoint, cause));
}

std::string Transport::hostHeader() const
{
    if (_endpoint.kind != Endpoint::Kind::Tcp)
        return "api.moby.localhost";
    bool v6 = _endpoint.host.find(':') != std::string::npos;
    return (v6 ? "[" + _endpoint.host + "]" : _endpoint.host) + ":" +
           std::to_string(_endpoint.port);
}

const Endpoint& Transport::endpoint() const
{
    return _endpoint;
}

const Timeouts& Transport::timeouts() const
{
    return _timeouts;
}

} // namespace hoist::engine
