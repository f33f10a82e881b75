#include "builder/ContainerConfig.h"

#include "builder/Labels.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace hoist::builder
{

std::map<std::string, std::string> ContainerConfig::labels(const BuilderSpec& spec,
                                                           SecurityMode mode)
{
    std::map<std::string, std::string> l = spec.labels;
    l[LABEL_BUILDER] = spec.name;
    l[LABEL_VERSION] = spec.hoistVersion;
    l[LABEL_CONFIG] = spec.configDigest(mode);
    l[LABEL_SESSION] = spec.session;
    l[LABEL_SECURITY] = engine::securityModeName(mode);
    Poco::JSON::Object opts(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [k, v] : spec.opts.raw)
        opts.set(k, v);
    std::ostringstream out;
    opts.stringify(out);
    l[LABEL_DRIVER_OPTS] = out.str();
    return l;
}

Poco::JSON::Object::Ptr ContainerConfig::build(const BuilderSpec& spec, SecurityMode mode,
                                               const EngineFacts& facts,
                                               const std::string& stateDir)
{
    Poco::JSON::Object::Ptr bodyPtr = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object& body = *bodyPtr;
    body.set("Image", spec.opts.image);
    if (!spec.opts.env.empty())
    {
        Poco::JSON::Array env;
        for (const auto& [k, v] : spec.opts.env)
            env.add(k + "=" + v);
        body.set("Env", env);
    }
    Poco::JSON::Array cmd;
    for (const auto& a : spec.config.command(spec.flags))
        cmd.add(a);
    body.set("Cmd", cmd);
    Poco::JSON::Object labels;
    for (const auto& [k, v] : ContainerConfig::labels(spec, mode))
        labels.set(k, v);
    body.set("Labels", labels);

    Poco::JSON::Object::Ptr host = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    host->set("Init", true); // reaps processes made by BuildKit's container API
    Poco::JSON::Object restart(Poco::JSON_PRESERVE_KEY_ORDER);
    restart.set("Name", spec.opts.restartPolicy);
    restart.set("MaximumRetryCount", spec.opts.restartRetries);
    host->set("RestartPolicy", restart);
    Poco::JSON::Array::Ptr mounts = new Poco::JSON::Array;
    Poco::JSON::Object state(Poco::JSON_PRESERVE_KEY_ORDER);
    state.set("Type", "volume");
    state.set("Source", spec.volumeName());
    state.set("Target", stateDir);
    mounts->add(state);
    host->set("Mounts", mounts);
    if (!spec.opts.network.empty())
        host->set("NetworkMode", spec.opts.network);
    if (spec.opts.memory)
        host->set("Memory", spec.opts.memory);
    if (spec.opts.memorySwap)
        host->set("MemorySwap", spec.opts.memorySwap);
    if (spec.opts.cpuQuota)
        host->set("CpuQuota", spec.opts.cpuQuota);
    if (spec.opts.cpuPeriod)
        host->set("CpuPeriod", spec.opts.cpuPeriod);
    if (spec.opts.cpuShares)
        host->set("CpuShares", spec.opts.cpuShares);
    if (!spec.opts.cpusetCpus.empty())
        host->set("CpusetCpus", spec.opts.cpusetCpus);
    if (!spec.opts.cpusetMems.empty())
        host->set("CpusetMems", spec.opts.cpusetMems);
    // A cgroup parent only makes sense to cgroupfs; systemd would refuse a non-slice.
    if (facts.cgroupDriver == "cgroupfs")
        host->set("CgroupParent", spec.opts.cgroupParent.value_or("/docker/buildx"));
    if (facts.userns)
        host->set("UsernsMode", "host");
    engine::applySecurityMode(mode, *host);
    body.set("HostConfig", host);
    return bodyPtr;
}

} // namespace hoist::builder
