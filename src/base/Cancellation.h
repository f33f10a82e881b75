#pragma once

#include <atomic>

namespace hoist::base
{

/// The process-wide "stop now" flag: set by SIGINT/SIGTERM (see SignalGuard), polled by long
/// waits (exec streams, bootstraps) so they end promptly and cleanup can run.
class Cancellation
{
public:
    /// Returns true once a cancelling signal arrived (or request() was called).
    static bool requested();

    /// Returns the signal that cancelled, or 0.
    static int signal();

    /// Marks the run cancelled by sig. Async-signal-safe.
    static void request(int sig);

    /// Clears the flag (tests).
    static void reset();

    /// Throws CancelledException when cancellation was requested, unless a Cleanup scope is
    /// active on this thread.
    static void check();

    /// While alive, check() does not throw on this thread: cleanup after a cancellation must
    /// still be able to exec and wait in the builder.
    class Cleanup
    {
    public:
        Cleanup();
        ~Cleanup();
        Cleanup(const Cleanup&) = delete;
        Cleanup& operator=(const Cleanup&) = delete;
    };

private:
    static std::atomic<int> _signal;
};

} // namespace hoist::base
