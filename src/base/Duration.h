#pragma once

#include <Poco/Timespan.h>

#include <optional>
#include <string>

namespace hoist::base
{

/// Parses a duration as Go's time.ParseDuration writes them ("500ms", "10s", "1m30s", "2h"),
/// or a plain number of seconds ("30"). Returns nothing for anything else or a negative value.
std::optional<Poco::Timespan> parseDuration(const std::string& text);

/// Formats a duration compactly: "850ms", "12.3s", "4m05s".
std::string formatDuration(const Poco::Timespan& span);

/// Formats seconds as formatDuration does.
std::string formatDuration(double seconds);

} // namespace hoist::base
