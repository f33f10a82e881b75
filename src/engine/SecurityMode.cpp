// This file implements the builder container's security modes: their names, the HostConfig
// fields each sets (privileged; or seccomp, AppArmor and the /proc masks lifted, plus the
// capabilities and a writable cgroup tree for Capabilities), and the engine's refusal spotted.

#include "engine/SecurityMode.h"

#include <Poco/JSON/Array.h>

namespace hoist::engine
{

namespace
{

Poco::JSON::Array strings(std::initializer_list<const char*> items)
{
    Poco::JSON::Array a;
    for (const char* s : items)
        a.add(std::string(s));
    return a;
}

} // namespace

std::string securityModeName(SecurityMode mode)
{
    switch (mode)
    {
    case SecurityMode::Capabilities:
        return "capabilities";
    case SecurityMode::Rootless:
        return "rootless";
    case SecurityMode::Privileged:
        break;
    }
    return "privileged";
}

void applySecurityMode(SecurityMode mode, Poco::JSON::Object& hostConfig)
{
    if (mode == SecurityMode::Privileged)
    {
        hostConfig.set("Privileged", true);
        return;
    }
    hostConfig.set("Privileged", false);
    hostConfig.set("SecurityOpt", strings({"seccomp=unconfined", "apparmor=unconfined"}));
    // Explicit empty lists, not null: null means the engine's default masks.
    hostConfig.set("MaskedPaths", Poco::JSON::Array());
    hostConfig.set("ReadonlyPaths", Poco::JSON::Array());
    if (mode == SecurityMode::Rootless)
        return;
    hostConfig.set("CapAdd", strings({"ALL"}));
    hostConfig.set("CapDrop", strings({"SYS_RESOURCE"}));
    // runc inside the builder creates cgroups for build steps; without this bind the cgroup
    // tree is read-only and every RUN fails.
    Poco::JSON::Array::Ptr mounts = hostConfig.getArray("Mounts");
    if (!mounts)
    {
        mounts = new Poco::JSON::Array;
        hostConfig.set("Mounts", mounts);
    }
    Poco::JSON::Object cgroup(Poco::JSON_PRESERVE_KEY_ORDER);
    cgroup.set("Type", "bind");
    cgroup.set("Source", "/sys/fs/cgroup");
    cgroup.set("Target", "/sys/fs/cgroup");
    cgroup.set("ReadOnly", false);
    mounts->add(cgroup);
}

bool isCapabilityRefusal(const std::string& message)
{
    return message.find("unable to apply caps") != std::string::npos ||
           message.find("apply caps: operation not permitted") != std::string::npos;
}

} // namespace hoist::engine
