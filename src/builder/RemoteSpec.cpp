// This file implements what a remote builder's spec derives: TLS or not, the server name the
// daemon's certificate must hold, and the driver options buildx's store keeps.

#include "builder/RemoteSpec.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace hoist::builder
{

bool RemoteSpec::tls() const
{
    return !cacert.empty();
}

std::string RemoteSpec::tlsServerName() const
{
    if (!serverName.empty())
        return serverName;
    try
    {
        return Poco::URI(endpoint).getHost();
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}

std::map<std::string, std::string> RemoteSpec::driverOpts() const
{
    std::map<std::string, std::string> opts;
    const std::map<std::string, std::string> given = {{"cacert", cacert},
                                                      {"cert", cert},
                                                      {"key", key},
                                                      {"servername", serverName},
                                                      {"default-load", defaultLoad}};
    for (const auto& [k, v] : given)
    {
        if (!v.empty())
            opts[k] = v;
    }
    return opts;
}

} // namespace hoist::builder
