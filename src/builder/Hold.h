#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// A build's hold on its builder, kept by hoist's own static binary running in the builder
/// container (the helper, so nothing depends on the image's tools): `hoist __hold` waits for
/// end-of-file on its stdin, which its client keeps open for as long as the build runs. When
/// the client lets go — done, cancelled, or killed outright — the helper stops the build's
/// processes (buildctl cancels its solve on SIGINT) and removes the build's files. A running
/// helper is how others (teardown, setup's cleaning) see from anywhere that a build uses the
/// builder.
class Hold
{
public:
    /// The helper's command name (its first argument).
    static const char* const COMMAND;

    /// Returns the helper's argv: held by owner (the job, as others see it in the exec's
    /// arguments; "" none), stop the processes whose command line holds one of stop, then
    /// remove each of remove (a trailing '*' removes every name with that prefix).
    static std::vector<std::string> argv(const std::string& helper, const std::string& owner,
                                         const std::vector<std::string>& stop,
                                         const std::vector<std::string>& remove);

    /// Returns the owner an argv of argv() names ("" none).
    static std::string owner(const std::vector<std::string>& argv);

    /// Runs as `hoist __hold [--owner JOB] --stop NEEDLE… --rm PATH…` in the builder: waits
    /// for end-of-file on stdin, then stops and removes. Returns 0, or 1 when something could
    /// not be stopped or removed (said on err).
    static int main(const std::vector<std::string>& args, std::ostream& err);
};

} // namespace hoist::builder
