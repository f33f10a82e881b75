#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>

#include <string>

namespace hoist::base
{

/// Diagnostic logging: one Poco logger per module, named "hoist.<module>", all writing
/// through a RedactingChannel. User-facing output does not go here but through report/.
class Log
{
public:
    /// Routes every hoist logger to sink (redacted, "hoist: <level>: <text>") at level
    /// ("debug", "info", "warning" or "error").
    static void configure(Poco::AutoPtr<Poco::Channel> sink, const std::string& level);

    /// Returns the logger of a module, e.g. get("engine").
    static Poco::Logger& get(const std::string& module);
};

} // namespace hoist::base
