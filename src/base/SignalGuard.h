#pragma once

namespace hoist::base
{

/// Turns SIGINT, SIGTERM and SIGHUP into a cancellation request (see Cancellation) instead of death,
/// so that whatever the run made is removed before hoist exits. A third signal ends hoist
/// at once, for a user who insists.
class SignalGuard
{
public:
    /// Installs the handlers for the whole process. Call once, early.
    static void install();
};

} // namespace hoist::base
