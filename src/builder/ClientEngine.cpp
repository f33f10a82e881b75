// This file implements a builder's engine on the Engine API: one engine call a method.

#include "builder/ClientEngine.h"

#include "engine/Containers.h"
#include "engine/HeldExec.h"
#include "engine/SocketRelay.h"
#include "engine/System.h"
#include "engine/Volumes.h"

#include <Poco/JSON/Array.h>

#include <ctime>

namespace hoist::builder
{

namespace
{

// A held exec: its stdin open while the lease lives.
class HeldLease : public Lease
{
public:
    HeldLease(engine::EngineClient& client, const std::string& container,
              const engine::ExecSpec& spec)
        : _held(client, container, spec)
    {
    }

    bool releaseAndWait(Poco::Timespan timeout) override { return _held.releaseAndWait(timeout); }

private:
    engine::HeldExec _held;
};

// A socket's relay: it stops when the lease goes.
class RelayLease : public Lease
{
public:
    RelayLease(engine::EngineClient& client, const std::string& container,
               const engine::ExecSpec& spec, const std::string& localSocket)
        : _relay(client, container, spec, localSocket)
    {
    }

    bool releaseAndWait(Poco::Timespan) override { return true; }

private:
    engine::SocketRelay _relay;
};

} // namespace

ClientEngine::ClientEngine(engine::EngineClient& client) : _client(client) {}

const engine::Endpoint& ClientEngine::endpoint() const
{
    return _client.endpoint();
}

std::optional<engine::ContainerInfo> ClientEngine::inspectContainer(const std::string& name)
{
    return engine::Containers(_client).inspect(name);
}

std::vector<std::string> ClientEngine::staleContainers(const std::string& label,
                                                       const std::string& value,
                                                       long long olderThanSeconds)
{
    std::vector<std::string> names;
    const long long now = static_cast<long long>(std::time(nullptr));
    for (const auto& c : engine::Containers(_client).list("label", label + "=" + value))
    {
        Poco::JSON::Array::Ptr n = c->getArray("Names");
        if (c->optValue<std::string>("State", "") == "running" || !n || n->size() == 0 ||
            now - c->optValue<long long>("Created", now) <= olderThanSeconds)
            continue;
        const std::string name = n->getElement<std::string>(0);
        names.push_back(!name.empty() && name[0] == '/' ? name.substr(1) : name);
    }
    return names;
}

void ClientEngine::createContainer(const std::string& name, const engine::ContainerCreate& config)
{
    engine::Containers(_client).create(name, config);
}

void ClientEngine::startContainer(const std::string& name)
{
    engine::Containers(_client).start(name);
}

void ClientEngine::stopContainer(const std::string& name, int timeoutSeconds)
{
    engine::Containers(_client).stop(name, timeoutSeconds);
}

bool ClientEngine::removeContainer(const std::string& name)
{
    return engine::Containers(_client).remove(name, true, true);
}

std::string ClientEngine::containerLogs(const std::string& name, int tail)
{
    return engine::Containers(_client).logs(name, tail);
}

std::optional<engine::VolumeInfo> ClientEngine::inspectVolume(const std::string& name)
{
    return engine::Volumes(_client).inspect(name);
}

void ClientEngine::createVolume(const std::string& name,
                                const std::map<std::string, std::string>& labels)
{
    engine::Volumes(_client).create(name, labels);
}

bool ClientEngine::removeVolume(const std::string& name, bool force)
{
    return engine::Volumes(_client).remove(name, force);
}

std::optional<engine::ImageInfo> ClientEngine::inspectImage(const std::string& ref)
{
    return engine::Images(_client).inspect(ref);
}

void ClientEngine::pullImage(const std::string& ref, const std::string& registryAuth,
                             const engine::Images::Progress& progress)
{
    engine::Images(_client).pull(ref, "", registryAuth, progress);
}

std::vector<std::string>
ClientEngine::loadImages(const std::function<void(std::ostream&)>& writeTar)
{
    return engine::Images(_client).load(writeTar, nullptr);
}

int ClientEngine::run(const std::string& container, const engine::ExecSpec& spec, std::istream* in,
                      const engine::FrameDemuxer::Sink& out)
{
    return engine::Exec(_client).run(container, spec, in, out);
}

int ClientEngine::capture(const std::string& container, const engine::ExecSpec& spec,
                          std::string& out, std::string& err)
{
    return engine::Exec(_client).capture(container, spec, out, err);
}

engine::ExecInfo ClientEngine::inspectExec(const std::string& id)
{
    return engine::Exec(_client).inspect(id);
}

std::unique_ptr<Lease> ClientEngine::hold(const std::string& container,
                                          const engine::ExecSpec& spec)
{
    return std::make_unique<HeldLease>(_client, container, spec);
}

std::unique_ptr<Lease> ClientEngine::relay(const std::string& container,
                                           const engine::ExecSpec& spec,
                                           const std::string& localSocket)
{
    return std::make_unique<RelayLease>(_client, container, spec, localSocket);
}

void ClientEngine::putArchive(const std::string& container, const std::string& dir,
                              const std::function<void(std::ostream&)>& writeTar)
{
    engine::Archive(_client).put(container, dir, writeTar);
}

void ClientEngine::getArchive(const std::string& container, const std::string& path,
                              std::ostream& out)
{
    engine::Archive(_client).get(container, path, out);
}

std::optional<engine::PathStat> ClientEngine::statPath(const std::string& container,
                                                       const std::string& path)
{
    return engine::Archive(_client).stat(container, path);
}

engine::SystemInfo ClientEngine::info()
{
    return engine::System(_client).info();
}

engine::VersionInfo ClientEngine::version()
{
    return engine::System(_client).version();
}

} // namespace hoist::builder
