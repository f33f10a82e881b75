// This file implements an engine endpoint's URL form, unix:///path or tcp://host:port, TLS
// noted.

#include "engine/Endpoint.h"

namespace hoist::engine
{

std::string Endpoint::url() const
{
    if (kind == Kind::Unix)
        return "unix://" + socketPath;
    std::string u = "tcp://" + host + ":" + std::to_string(port) + basePath;
    if (tls)
        u += verify ? " (TLS, verified)" : " (TLS, not verified)";
    return u;
}

std::string Endpoint::buildxName() const
{
    return buildxKey.empty() ? url() : buildxKey;
}

} // namespace hoist::engine
