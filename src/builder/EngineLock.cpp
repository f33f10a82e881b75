// This file implements the lock held on the engine itself: a never-started container whose
// name is the lock, its labels the holder and lease, and the takeover of a stale or forced lock.

#include "builder/EngineLock.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Labels.h"
#include "engine/EngineError.h"

#include <Poco/Environment.h>
#include <Poco/NumberParser.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace hoist::builder
{

namespace
{

const char* LABEL_LOCK_OWNER = "dev.hoist.lock.owner";
const char* LABEL_LOCK_HOST = "dev.hoist.lock.host";
const char* LABEL_LOCK_PID = "dev.hoist.lock.pid";
const char* LABEL_LOCK_EXPIRES = "dev.hoist.lock.expires";
const char* LABEL_LOCK_TOKEN = "dev.hoist.lock.token";

// This process among all hoist processes on the engine: pids repeat across containers (hoist
// is often pid 1) and hostnames across host-network containers.
const std::string& processToken()
{
    static const std::string token = base::randomHex(32);
    return token;
}

// The host and its pid namespace: only a holder with the same one can be checked with kill().
std::string pidScope()
{
    char ns[64] = {0};
    const ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    return Poco::Environment::nodeName() + " " + (n > 0 ? std::string(ns, n) : "pid:[?]");
}

} // namespace

EngineLock::EngineLock(BuilderEngine& engine, std::string container, std::string image,
                       std::string owner, Note note)
    : _engine(engine),
      _container(std::move(container)),
      _image(std::move(image)),
      _owner(std::move(owner)),
      _note(std::move(note))
{
}

EngineLock::~EngineLock()
{
    try
    {
        release();
    }
    catch (...)
    {
    }
}

void EngineLock::setWayOut(std::string wayOut)
{
    _wayOut = std::move(wayOut);
}

std::string EngineLock::leaseText(const engine::ContainerInfo& lock) const
{
    Poco::Int64 expires = 0;
    if (!Poco::NumberParser::tryParse64(lock.label(LABEL_LOCK_EXPIRES), expires))
        return "";
    const Poco::Int64 left = expires - Poco::Timestamp().epochTime();
    return "; its lease ends in " + std::to_string(std::max<Poco::Int64>(left, 0)) + "s" +
           (_wayOut.empty()
                ? ""
                : ", and if that job is gone, " + _wayOut + " takes the builder over now");
}

std::string EngineLock::name() const
{
    return "hoist_lock_" + _container;
}

bool EngineLock::stale(const engine::ContainerInfo& lock) const
{
    Poco::Int64 expires = 0;
    if (Poco::NumberParser::tryParse64(lock.label(LABEL_LOCK_EXPIRES), expires) &&
        Poco::Timestamp().epochTime() > expires)
        return true;
    // A holder on this very host and pid namespace whose process is gone will never release it.
    int pid = 0;
    if (lock.label(LABEL_LOCK_HOST) == pidScope() &&
        Poco::NumberParser::tryParse(lock.label(LABEL_LOCK_PID), pid) && pid > 0)
        return ::kill(pid, 0) != 0 && errno == ESRCH;
    return false;
}

void EngineLock::acquire(Poco::Timespan timeout, Poco::Timespan lease, bool force)
{
    Poco::Timestamp started;
    bool said = false;
    for (int attempt = 1;; ++attempt)
    {
        base::Cancellation::check();
        engine::ContainerCreate body;
        body.image = _image;
        body.entrypoint = std::vector<std::string>{"/hoist-lock-never-runs"};
        body.labels = {{LABEL_ROLE, "lock"},
                       {LABEL_LOCK_OWNER, _owner},
                       {LABEL_LOCK_HOST, pidScope()},
                       {LABEL_LOCK_PID, std::to_string(::getpid())},
                       {LABEL_LOCK_TOKEN, processToken()},
                       {LABEL_LOCK_EXPIRES,
                        std::to_string(Poco::Timestamp().epochTime() + lease.totalSeconds())}};
        body.host.networkMode = "none";
        try
        {
            _engine.createContainer(name(), body);
            _held = true;
            return;
        }
        catch (const engine::EngineApiException& e)
        {
            if (e.status() != 409)
                throw;
        }
        auto holder = _engine.inspectContainer(name());
        // This very process holds it already (hoist run around its own setup): go ahead,
        // leaving the release to the outer holder.
        if (holder && holder->label(LABEL_LOCK_TOKEN) == processToken())
            return;
        if (holder && (force || stale(*holder)))
        {
            _note(std::string("taking over ") + (force ? "" : "the stale ") + "lock of " +
                  _container + " held by " + holder->label(LABEL_LOCK_OWNER));
            _engine.removeContainer(name());
            continue;
        }
        if (!said && holder)
        {
            _note("waiting for " + _container + ", which " + holder->label(LABEL_LOCK_OWNER) +
                  " is changing" + leaseText(*holder));
            said = true;
        }
        if (started.isElapsed(timeout.totalMicroseconds()))
            throw base::RetryableException(
                "timed out after " + std::to_string(timeout.totalSeconds()) +
                "s waiting for the lock of " + _container + " (held by " +
                (holder ? holder->label(LABEL_LOCK_OWNER) + leaseText(*holder) : std::string("?")) +
                ")");
        Poco::Thread::sleep(std::min(250 * attempt, 2000));
    }
}

void EngineLock::release()
{
    if (!_held)
        return;
    _held = false;
    // Past its lease the lock may have been taken over: that one is not ours to remove.
    auto lock = _engine.inspectContainer(name());
    if (lock && lock->label(LABEL_LOCK_TOKEN) == processToken())
        _engine.removeContainer(name());
}

} // namespace hoist::builder
