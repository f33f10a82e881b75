// This file implements the process-wide cancellation flag: the signal that set it, the
// per-thread cleanup scopes in which checking it does not throw, and the groups of threads
// cancelled together.

#include "base/Cancellation.h"

#include "base/Error.h"

namespace hoist::base
{

std::atomic<int> Cancellation::_signal{0};

namespace
{
thread_local int cleanupDepth = 0;
thread_local const Cancellation::Group* threadGroup = nullptr;
} // namespace

bool Cancellation::requested()
{
    return _signal.load() != 0 || (threadGroup && threadGroup->raised());
}

int Cancellation::signal()
{
    return _signal.load();
}

void Cancellation::request(int sig)
{
    _signal.store(sig == 0 ? -1 : sig);
}

void Cancellation::reset()
{
    _signal.store(0);
}

Cancellation::Cleanup::Cleanup()
{
    ++cleanupDepth;
}

Cancellation::Cleanup::~Cleanup()
{
    --cleanupDepth;
}

void Cancellation::check()
{
    if (!requested() || cleanupDepth != 0)
        return;
    if (signal() == 0)
        throw CancelledException("cancelled");
    throw CancelledException("cancelled by signal " + std::to_string(signal()));
}

void Cancellation::Group::raise()
{
    _raised.store(true);
}

bool Cancellation::Group::raised() const
{
    return _raised.load();
}

Cancellation::Group::Member::Member(const Group& group) : _outer(threadGroup)
{
    threadGroup = &group;
}

Cancellation::Group::Member::~Member()
{
    threadGroup = _outer;
}

} // namespace hoist::base
