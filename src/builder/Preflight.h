#pragma once

#include "base/Problem.h"
#include "builder/DriverOpts.h"
#include "engine/EngineClient.h"

#include <string>
#include <vector>

namespace hoist::builder
{

/// What the engine must have for a builder's driver options, checked before anything is
/// pulled or created, so a setup that cannot succeed leaves the engine as it was.
class Preflight
{
public:
    /// Appends a problem, naming option (how the user gave the driver options), for a network
    /// the engine does not have (or a container:NAME it does not run) and for cpuset-cpus
    /// naming CPUs the engine's host does not have. Throws engine errors.
    static void check(engine::EngineClient& client, const DriverOpts& opts,
                      const std::string& option, base::Problems& problems);

    /// Returns the highest CPU a cpuset list ("0-3,6") names, or -1 when it names none.
    static int highestCpu(const std::string& cpuset);
};

} // namespace hoist::builder
