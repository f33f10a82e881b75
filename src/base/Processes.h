#pragma once

#include <Poco/Timespan.h>

#include <string>
#include <vector>

namespace hoist::base
{

/// Returns the processes of this PID namespace whose command line (its arguments joined by
/// spaces) contains needle, this process excepted, read from /proc.
std::vector<int> processesMatching(const std::string& needle);

/// Stops the processes matching needle: SIGINT (a client such as buildctl cancels its work
/// cleanly then), SIGKILL for what is left after grace. Returns how many still run a second
/// after that (0 when all are gone).
std::size_t stopMatching(const std::string& needle, Poco::Timespan grace);

} // namespace hoist::base
