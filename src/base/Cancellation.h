#pragma once

#include <atomic>

namespace hoist::base
{

/// The process-wide "stop now" flag: set by SIGINT/SIGTERM (see SignalGuard), polled by long
/// waits (exec streams, bootstraps) so they end promptly and cleanup can run.
class Cancellation
{
public:
    /// Returns true once a cancelling signal arrived (or request() was called), or this
    /// thread's Group was raised.
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

    /// A flag some threads share (a multi-node build's legs): raised, it cancels those threads
    /// as a signal cancels the process (requested() and check() answer it there), while
    /// signal() stays 0.
    class Group
    {
    public:
        /// Raises the flag. Thread-safe.
        void raise();

        /// Returns true once raised.
        bool raised() const;

        /// While alive, requested() and check() on this thread answer group's flag too.
        class Member
        {
        public:
            explicit Member(const Group& group);
            ~Member();
            Member(const Member&) = delete;
            Member& operator=(const Member&) = delete;

        private:
            const Group* _outer;
        };

    private:
        std::atomic<bool> _raised{false};
    };

private:
    static std::atomic<int> _signal;
};

} // namespace hoist::base
