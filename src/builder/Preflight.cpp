// This file implements the builder's preflight: the driver options' network and cpuset-cpus
// checked against the engine before anything is pulled or created.

#include "builder/Preflight.h"

#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/System.h"

#include <Poco/NumberParser.h>

#include <algorithm>

namespace hoist::builder
{

namespace
{

// The engine's own network modes, which are never networks it lists.
bool builtinNetwork(const std::string& mode)
{
    return mode.empty() || mode == "default" || mode == "bridge" || mode == "host" ||
           mode == "none";
}

void checkNetwork(engine::EngineClient& client, const std::string& mode, const std::string& option,
                  base::Problems& problems)
{
    if (builtinNetwork(mode))
        return;
    const std::string named = option + " network=" + base::quoted(mode);
    if (base::startsWith(mode, "container:"))
    {
        const std::string name = mode.substr(10);
        auto c = engine::Containers(client).inspect(name);
        if (!c || !c->running)
            problems.push_back(base::Problem{
                "", named + ": the engine runs no container " + base::quoted(name), ""});
    }
    else if (!engine::System(client).hasNetwork(mode))
        problems.push_back(
            base::Problem{named,
                          named + ": the engine has no such network (docker network ls lists "
                                  "them; use one of them, host, none or bridge)",
                          ""});
}

} // namespace

int Preflight::highestCpu(const std::string& cpuset)
{
    int highest = -1;
    for (const auto& range : base::split(cpuset, ','))
    {
        for (const auto& n : base::split(range, '-'))
        {
            int v = 0;
            if (Poco::NumberParser::tryParse(n, v))
                highest = std::max(highest, v);
        }
    }
    return highest;
}

void Preflight::check(engine::EngineClient& client, const DriverOpts& opts,
                      const std::string& option, base::Problems& problems)
{
    checkNetwork(client, opts.network, option, problems);
    if (!opts.cpusetCpus.empty())
    {
        const int cpus = engine::System(client).info().cpus;
        const int highest = highestCpu(opts.cpusetCpus);
        if (cpus > 0 && highest >= cpus)
            problems.push_back(base::Problem{
                "",
                option + " cpuset-cpus=" + base::quoted(opts.cpusetCpus) + " names CPU " +
                    std::to_string(highest) + ", but the engine has " + std::to_string(cpus) +
                    " (0-" + std::to_string(cpus - 1) + ")",
                ""});
    }
}

} // namespace hoist::builder
