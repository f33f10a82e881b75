// This file implements the signal handlers that turn SIGINT, SIGTERM and SIGHUP into a
// cancellation request, and end hoist at once on the third signal.

#include "base/SignalGuard.h"

#include "base/Cancellation.h"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace hoist::base
{

namespace
{

std::atomic<int> received{0};

void onSignal(int sig)
{
    // Only async-signal-safe work here: flag it, and on the third signal leave.
    Cancellation::request(sig);
    if (++received >= 3)
        ::_exit(128 + sig);
}

} // namespace

void SignalGuard::install()
{
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking wait sees EINTR where it can
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    // A closed terminal or a dropped ssh session: clean up as for Ctrl-C.
    ::sigaction(SIGHUP, &sa, nullptr);
}

} // namespace hoist::base
