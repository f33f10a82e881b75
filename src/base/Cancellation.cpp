// This file implements the process-wide cancellation flag: the signal that set it, and the
// per-thread cleanup scopes in which checking it does not throw.

#include "base/Cancellation.h"

#include "base/Error.h"

namespace hoist::base
{

std::atomic<int> Cancellation::_signal{0};

bool Cancellation::requested()
{
    return _signal.load() != 0;
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

namespace
{
thread_local int cleanupDepth = 0;
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
    if (requested() && cleanupDepth == 0)
        throw CancelledException("cancelled by signal " + std::to_string(signal()));
}

} // namespace hoist::base
