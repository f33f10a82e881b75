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

} // namespace hoist::engine
