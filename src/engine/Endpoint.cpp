// This file implements an engine endpoint's URL form, unix:///path, tcp://host:port (TLS
// noted) or ssh://user@host:port/path.

#include "engine/Endpoint.h"

namespace hoist::engine
{

std::string Endpoint::url() const
{
    if (kind == Kind::Unix)
        return "unix://" + socketPath;
    if (kind == Kind::Ssh)
        return "ssh://" + (sshUser.empty() ? "" : sshUser + "@") + host +
               (port ? ":" + std::to_string(port) : "") + socketPath;
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
