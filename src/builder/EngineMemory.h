#pragma once

#include "engine/Types.h"

#include <optional>
#include <string>

namespace hoist::builder
{

/// What hoist learnt of an engine and keeps on this machine, so the next setup does not learn it
/// again at a container's cost: whether the engine refuses privileged containers. Kept per
/// engine (its ID) and what decides it (its version, kernel, default runtime and security
/// options: a change of any makes it unknown again), for a week; `hoist doctor` checks anew.
class EngineMemory
{
public:
    /// A memory in dir (created when first written).
    explicit EngineMemory(std::string dir);

    /// Returns whether engine refuses privileged containers, when it was learnt (and is not
    /// older than a week); nothing when not known.
    std::optional<bool> refusesPrivileged(const engine::SystemInfo& engine) const;

    /// Keeps whether engine refuses privileged containers. Never throws: a memory that cannot
    /// be written is only a slower next setup.
    void rememberPrivileged(const engine::SystemInfo& engine, bool refuses) const;

    /// Returns the file that holds what is known of engine.
    std::string fileFor(const engine::SystemInfo& engine) const;

private:
    std::string _dir;
};

} // namespace hoist::builder
