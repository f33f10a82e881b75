#pragma once

#include <Poco/Net/StreamSocket.h>

#include <string>

namespace hoist::engine
{

/// A connection the engine has handed over after "101 UPGRADED" (exec start): the raw socket,
/// and the bytes that arrived with the response headers, which the socket no longer holds.
/// For the engine module only.
struct Hijacked
{
    Poco::Net::StreamSocket socket;
    std::string early;
};

/// Half-closes socket's write side, over TLS too (Poco 1.11's SecureStreamSocketImpl::
/// shutdownSend() does nothing, and shutdown() would close both directions; a TCP FIN at a
/// record boundary is read by Go's TLS stack as a clean EOF): the process reads end of file,
/// its output still comes.
void closeWrite(Poco::Net::StreamSocket& socket);

} // namespace hoist::engine
