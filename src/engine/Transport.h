#pragma once

#include "base/Error.h"
#include "engine/Endpoint.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Timespan.h>

#include <memory>
#include <mutex>
#include <string>

namespace hoist::engine
{

class SshProcess;

/// How long hoist waits for the engine.
struct Timeouts
{
    Poco::Timespan connect{10, 0}; /// to connect (and for TLS, to handshake)
    Poco::Timespan idle{300, 0};   /// for the next byte of a response that has gone quiet
};

/// Opens HTTP sessions to one engine endpoint: a unix socket, plain TCP, TLS with client
/// certificates, or ssh (SshDialer). Every session is new and connected, with the timeouts applied to its socket
/// (Poco applies none to a pre-connected socket by itself).
class Transport
{
public:
    /// A transport to endpoint. Throws base::ConfigException when TLS files cannot be loaded.
    Transport(Endpoint endpoint, Timeouts timeouts);

    /// Returns a new connected session. Throws base::UnavailableException naming the endpoint
    /// and the likely fix when the engine cannot be reached.
    std::unique_ptr<Poco::Net::HTTPClientSession> open() const;

    /// Returns the error to throw when the engine cannot be reached because of cause: the
    /// endpoint, how it was chosen, and the likely fix.
    base::UnavailableException unreachable(const Poco::Exception& cause) const;

    /// Returns the value for the Host header (Go's server rejects HTTP/1.1 without one).
    std::string hostHeader() const;

    /// Returns the endpoint.
    const Endpoint& endpoint() const;

    /// Returns the timeouts.
    const Timeouts& timeouts() const;

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> connectOnce() const;

    Endpoint _endpoint;
    Timeouts _timeouts;
    Poco::Net::Context::Ptr _tls;
    struct SshLast
    {
        std::mutex mutex;
        std::shared_ptr<SshProcess> process; // the last ssh started, for its words
    };
    std::shared_ptr<SshLast> _ssh = std::make_shared<SshLast>();
};

} // namespace hoist::engine
