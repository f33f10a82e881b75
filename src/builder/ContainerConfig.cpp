// This file implements a builder's container as buildx's docker-container driver creates it,
// with hoist's labels (builder, version, config digest, session, security mode, driver opts).

#include "builder/ContainerConfig.h"

#include "base/Strings.h"
#include "builder/Labels.h"

#include <Poco/JSON/Object.h>

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

std::map<std::string, std::string> ContainerConfig::volumeLabels(const BuilderSpec& spec,
                                                                 SecurityMode mode)
{
    std::map<std::string, std::string> l = labels(spec, mode);
    l[LABEL_VOLUME_ID] = base::randomHex(16);
    return l;
}

engine::ContainerCreate ContainerConfig::build(const BuilderSpec& spec, SecurityMode mode,
                                               const EngineFacts& facts,
                                               const std::string& stateDir)
{
    engine::ContainerCreate c;
    c.image = spec.opts.image;
    for (const auto& [k, v] : spec.opts.env)
        c.env.push_back(k + "=" + v);
    c.cmd = spec.config.command(spec.flags);
    c.labels = labels(spec, mode);
    engine::ContainerCreate::Host& host = c.host;
    host.init = true; // reaps processes made by BuildKit's container API
    host.restart = engine::RestartPolicy{spec.opts.restartPolicy, spec.opts.restartRetries};
    host.mounts = {{"volume", spec.volumeName(), stateDir}};
    host.networkMode = spec.opts.network;
    host.memory = spec.opts.memory;
    host.memorySwap = spec.opts.memorySwap;
    host.cpuQuota = spec.opts.cpuQuota;
    host.cpuPeriod = spec.opts.cpuPeriod;
    host.cpuShares = spec.opts.cpuShares;
    host.cpusetCpus = spec.opts.cpusetCpus;
    host.cpusetMems = spec.opts.cpusetMems;
    // A cgroup parent only makes sense to cgroupfs; systemd would refuse a non-slice.
    if (facts.cgroupDriver == "cgroupfs")
        host.cgroupParent = spec.opts.cgroupParent.value_or("/docker/buildx");
    if (facts.userns)
        host.usernsMode = "host";
    host.security = mode;
    return c;
}

} // namespace hoist::builder
