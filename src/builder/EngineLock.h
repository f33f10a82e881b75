#pragma once

#include "builder/BuilderEngine.h"
#include "engine/Types.h"

#include <Poco/Timespan.h>

#include <functional>
#include <string>

namespace hoist::builder
{

/// A lock held on the engine itself, so that hoist processes in different containers or on
/// different machines serialize their changes to one builder: a created-but-never-started
/// container named "hoist_lock_<builder container>" (creating a name is atomic on the engine).
/// Its labels name the holder and a lease; an expired lease, or a holder process on this host
/// that is gone, is taken over.
class EngineLock
{
public:
    /// Receives "waiting for …" notes.
    using Note = std::function<void(const std::string&)>;

    /// A lock for container's builder on engine; image is any image the engine has (the lock
    /// container never runs); owner names the holder in messages (the CI session).
    EngineLock(BuilderEngine& engine, std::string container, std::string image, std::string owner,
               Note note);

    /// Releases the lock if this object holds it.
    ~EngineLock();

    EngineLock(const EngineLock&) = delete;
    EngineLock& operator=(const EngineLock&) = delete;

    /// Takes the lock, waiting up to timeout for another holder; the lease lets others take it
    /// over after lease if this process dies without releasing. force takes it over from any
    /// holder at once. Throws base::RetryableException on timeout, base::CancelledException
    /// when cancelled.
    void acquire(Poco::Timespan timeout, Poco::Timespan lease, bool force = false);

    /// Releases the lock (idempotent).
    void release();

    /// Returns the lock container's name.
    std::string name() const;

    /// Sets what takes a lock over at once (a forced teardown, as the user runs it), said
    /// while waiting.
    void setWayOut(std::string wayOut);

private:
    bool stale(const engine::ContainerInfo& lock) const;
    std::string leaseText(const engine::ContainerInfo& lock) const;

    BuilderEngine& _engine;
    std::string _container;
    std::string _image;
    std::string _owner;
    Note _note;
    std::string _wayOut;
    bool _held = false;
};

} // namespace hoist::builder
