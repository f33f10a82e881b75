// This file implements the decoding of the engine's JSON replies into the records of
// engine/Types.h, and those records' small queries (a label, the image store, userns). The
// encoding of requests is in RequestCodec.cpp.

#include "engine/Codec.h"

#include <Poco/JSON/Array.h>

namespace hoist::engine
{

namespace
{

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key)
{
    if (!o || !o->has(key) || o->isNull(key))
        return "";
    try
    {
        return o->getValue<std::string>(key);
    }
    catch (const Poco::Exception&)
    {
        return o->get(key).toString();
    }
}

std::map<std::string, std::string> labels(const Poco::JSON::Object::Ptr& o)
{
    std::map<std::string, std::string> out;
    auto l = o ? o->getObject("Labels") : nullptr;
    if (!l)
        return out;
    for (const auto& k : l->getNames())
        out[k] = str(l, k);
    return out;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& a)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; a && i < a->size(); ++i)
        out.push_back(a->get(static_cast<unsigned>(i)).toString());
    return out;
}

} // namespace

std::string ContainerInfo::label(const std::string& key) const
{
    auto it = labels.find(key);
    return it == labels.end() ? "" : it->second;
}

bool SystemInfo::containerdStore() const
{
    for (const auto& [k, v] : driverStatus)
    {
        if (k == "driver-type" && v == "io.containerd.snapshotter.v1")
            return true;
    }
    return false;
}

bool SystemInfo::userns() const
{
    for (const auto& o : securityOptions)
    {
        if (o.find("name=userns") != std::string::npos)
            return true;
    }
    return false;
}

ContainerState Codec::state(const std::string& word)
{
    static const std::pair<const char*, ContainerState> STATES[] = {
        {"created", ContainerState::Created},   {"running", ContainerState::Running},
        {"paused", ContainerState::Paused},     {"restarting", ContainerState::Restarting},
        {"removing", ContainerState::Removing}, {"exited", ContainerState::Exited},
        {"dead", ContainerState::Dead}};
    for (const auto& [w, s] : STATES)
    {
        if (word == w)
            return s;
    }
    return ContainerState::Unknown;
}

ContainerInfo Codec::container(const Poco::JSON::Object::Ptr& json)
{
    ContainerInfo c;
    c.id = str(json, "Id");
    c.name = str(json, "Name");
    if (!c.name.empty() && c.name[0] == '/')
        c.name.erase(0, 1);
    c.imageId = str(json, "Image");
    auto config = json ? json->getObject("Config") : nullptr;
    c.image = str(config, "Image");
    c.labels = labels(config);
    auto state = json ? json->getObject("State") : nullptr;
    c.state = Codec::state(str(state, "Status"));
    c.running = state && state->optValue<bool>("Running", false);
    c.startedAt = str(state, "StartedAt");
    c.restartCount = json ? json->optValue<int>("RestartCount", 0) : 0;
    auto host = json ? json->getObject("HostConfig") : nullptr;
    c.privileged = host && host->optValue<bool>("Privileged", false);
    auto mounts = json ? json->getArray("Mounts") : nullptr;
    for (std::size_t i = 0; mounts && i < mounts->size(); ++i)
    {
        auto m = mounts->getObject(static_cast<unsigned>(i));
        c.mounts.push_back({str(m, "Name"), str(m, "Destination")});
    }
    c.execIds = strings(json ? json->getArray("ExecIDs") : nullptr);
    return c;
}

ExecInfo Codec::exec(const Poco::JSON::Object::Ptr& json)
{
    ExecInfo e;
    e.id = str(json, "ID");
    e.running = json && json->optValue<bool>("Running", false);
    if (json && json->has("ExitCode") && !json->isNull("ExitCode"))
        e.exitCode = json->getValue<int>("ExitCode");
    auto process = json ? json->getObject("ProcessConfig") : nullptr;
    e.entrypoint = str(process, "entrypoint");
    e.arguments = strings(process ? process->getArray("arguments") : nullptr);
    return e;
}

ImageInfo Codec::image(const Poco::JSON::Object::Ptr& json)
{
    ImageInfo i;
    i.id = str(json, "Id");
    i.os = str(json, "Os");
    i.architecture = str(json, "Architecture");
    auto config = json ? json->getObject("Config") : nullptr;
    i.user = str(config, "User");
    i.labels = labels(config);
    return i;
}

VolumeInfo Codec::volume(const Poco::JSON::Object::Ptr& json)
{
    VolumeInfo v;
    v.name = str(json, "Name");
    v.labels = labels(json);
    return v;
}

VersionInfo Codec::version(const Poco::JSON::Object::Ptr& json)
{
    return {str(json, "Version"), str(json, "ApiVersion"), str(json, "MinAPIVersion"),
            str(json, "Os"),      str(json, "Arch"),       str(json, "KernelVersion")};
}

SystemInfo Codec::system(const Poco::JSON::Object::Ptr& json)
{
    SystemInfo s;
    s.id = str(json, "ID");
    s.serverVersion = str(json, "ServerVersion");
    s.kernelVersion = str(json, "KernelVersion");
    s.defaultRuntime = str(json, "DefaultRuntime");
    s.cgroupDriver = str(json, "CgroupDriver");
    s.cgroupVersion = str(json, "CgroupVersion");
    s.driver = str(json, "Driver");
    s.dockerRootDir = str(json, "DockerRootDir");
    s.cpus = json && json->has("NCPU") ? json->optValue<int>("NCPU", 0) : 0;
    s.securityOptions = strings(json ? json->getArray("SecurityOptions") : nullptr);
    auto status = json ? json->getArray("DriverStatus") : nullptr;
    for (std::size_t i = 0; status && i < status->size(); ++i)
    {
        auto pair = strings(status->getArray(static_cast<unsigned>(i)));
        if (pair.size() == 2)
            s.driverStatus.emplace_back(pair[0], pair[1]);
    }
    return s;
}

} // namespace hoist::engine
