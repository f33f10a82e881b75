#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// The container end of a socket relay (engine::SocketRelay), run by hoist's helper in the
/// builder: `hoist __relay PATH` listens on the unix socket PATH and carries each connection's
/// bytes over its stdin and stdout in engine::RelayFrames, until stdin ends; then it closes
/// everything and removes PATH.
class Relay
{
public:
    /// The helper's command name (its first argument).
    static const char* const COMMAND;

    /// Returns the helper's argv for a relay listening on path.
    static std::vector<std::string> argv(const std::string& helper, const std::string& path);

    /// Runs as `hoist __relay PATH`. Returns 0, or 1 when it cannot listen (said on err).
    static int main(const std::vector<std::string>& args, std::ostream& err);
};

} // namespace hoist::builder
