// This file implements diagnostic logging's setup: every "hoist.<module>" logger routed through
// a redacting channel to one sink, formatted "hoist: <level>: <text>".

#include "base/Log.h"

#include "base/RedactingChannel.h"

#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>

namespace hoist::base
{

void Log::configure(Poco::AutoPtr<Poco::Channel> sink, const std::string& level)
{
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("hoist: %q: %t"));
    Poco::AutoPtr<Poco::Channel> redacting(new RedactingChannel(sink));
    Poco::AutoPtr<Poco::FormattingChannel> formatting(
        new Poco::FormattingChannel(formatter, redacting));
    Poco::Logger& root = Poco::Logger::get("hoist");
    root.setChannel(formatting);
    root.setLevel(level);
    // Loggers made before configure() keep their old settings unless told.
    Poco::Logger::setChannel("hoist", formatting);
    Poco::Logger::setLevel("hoist", Poco::Logger::parseLevel(level));
}

Poco::Logger& Log::get(const std::string& module)
{
    return Poco::Logger::get("hoist." + module);
}

} // namespace hoist::base
