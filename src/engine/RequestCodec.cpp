// This file implements the encoding of hoist's typed requests into the engine's JSON (the
// other half of Codec, which decodes the replies).

#include "engine/Codec.h"

#include <Poco/JSON/Array.h>

namespace hoist::engine
{

namespace
{

Poco::JSON::Array array(const std::vector<std::string>& items)
{
    Poco::JSON::Array a;
    for (const auto& s : items)
        a.add(s);
    return a;
}

void setIf(Poco::JSON::Object& o, const char* key, long long value)
{
    if (value)
        o.set(key, value);
}

void setIf(Poco::JSON::Object& o, const char* key, const std::string& value)
{
    if (!value.empty())
        o.set(key, value);
}

Poco::JSON::Object::Ptr hostConfig(const ContainerCreate::Host& h)
{
    Poco::JSON::Object::Ptr host = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (h.init)
        host->set("Init", true);
    if (h.autoRemove)
        host->set("AutoRemove", true);
    if (h.restart)
    {
        Poco::JSON::Object restart(Poco::JSON_PRESERVE_KEY_ORDER);
        restart.set("Name", h.restart->name);
        restart.set("MaximumRetryCount", h.restart->maximumRetryCount);
        host->set("RestartPolicy", restart);
    }
    if (!h.mounts.empty())
    {
        Poco::JSON::Array::Ptr mounts = new Poco::JSON::Array;
        for (const auto& m : h.mounts)
        {
            Poco::JSON::Object mount(Poco::JSON_PRESERVE_KEY_ORDER);
            mount.set("Type", m.type);
            mount.set("Source", m.source);
            mount.set("Target", m.target);
            if (m.readOnly)
                mount.set("ReadOnly", true);
            mounts->add(mount);
        }
        host->set("Mounts", mounts);
    }
    if (!h.binds.empty())
        host->set("Binds", array(h.binds));
    setIf(*host, "NetworkMode", h.networkMode);
    setIf(*host, "Memory", h.memory);
    setIf(*host, "MemorySwap", h.memorySwap);
    setIf(*host, "CpuQuota", h.cpuQuota);
    setIf(*host, "CpuPeriod", h.cpuPeriod);
    setIf(*host, "CpuShares", h.cpuShares);
    setIf(*host, "CpusetCpus", h.cpusetCpus);
    setIf(*host, "CpusetMems", h.cpusetMems);
    setIf(*host, "CgroupParent", h.cgroupParent);
    setIf(*host, "UsernsMode", h.usernsMode);
    if (h.security)
        applySecurityMode(*h.security, *host);
    return host;
}

} // namespace

Poco::JSON::Object::Ptr Codec::encode(const ContainerCreate& c)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("Image", c.image);
    if (c.entrypoint)
        body->set("Entrypoint", array(*c.entrypoint));
    if (!c.env.empty())
        body->set("Env", array(c.env));
    if (c.cmd)
        body->set("Cmd", array(*c.cmd));
    Poco::JSON::Object labels;
    for (const auto& [k, v] : c.labels)
        labels.set(k, v);
    body->set("Labels", labels);
    body->set("HostConfig", hostConfig(c.host));
    return body;
}

} // namespace hoist::engine
