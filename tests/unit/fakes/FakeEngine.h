#pragma once

#include "base/TarReader.h"
#include "builder/BuilderEngine.h"
#include "builder/Helper.h"
#include "engine/EngineError.h"

#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace hoist::test
{

/// A Docker engine in memory, for unit scenarios of builder::Builder: containers made from the
/// requests they were created with, with their state, mounts and exec'd processes; volumes;
/// images; files put into containers. buildkitd is ready as soon as its container runs. It can
/// refuse privileged containers as an engine short of CAP_SYS_RESOURCE does. Thread-safe: setup
/// asks it from several threads.
class FakeEngine : public builder::BuilderEngine
{
public:
    /// A container as the fake keeps it.
    struct Container
    {
        engine::ContainerCreate config;
        engine::ContainerState state = engine::ContainerState::Created;
        std::vector<std::string> execs;
    };

    /// An exec'd process.
    struct Process
    {
        std::string container;
        std::vector<std::string> argv;
        bool running = true;
    };

    bool refusePrivileged = false; /// start of a privileged container fails
    std::map<std::string, engine::ImageInfo> images = {{"moby/buildkit:buildx-stable-1", {}}};
    std::map<std::string, Container> containers;
    std::map<std::string, engine::VolumeInfo> volumes;
    std::map<std::string, Process> processes;       /// by exec id
    std::map<std::string, long long> files;         /// container:path → size
    std::vector<std::string> created;               /// every container created, in order
    std::vector<std::vector<std::string>> captured; /// every captured exec's argv
    std::function<void()> onRelease;                /// called as a held process is let go
    std::string buildctlFails;                      /// when set, buildctl fails saying it on stderr
    std::vector<std::string> relayedTo;             /// every relay's local end, in order

    FakeEngine() { _endpoint.kind = engine::Endpoint::Kind::Unix; }

    const engine::Endpoint& endpoint() const override { return _endpoint; }

    std::optional<engine::ContainerInfo> inspectContainer(const std::string& name) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = containers.find(name);
        if (it == containers.end())
            return std::nullopt;
        const Container& c = it->second;
        engine::ContainerInfo info;
        info.id = info.name = name;
        info.image = c.config.image;
        info.labels = c.config.labels;
        info.state = c.state;
        info.running = c.state == engine::ContainerState::Running;
        info.privileged = c.config.host.security == engine::SecurityMode::Privileged;
        for (const auto& m : c.config.host.mounts)
            info.mounts.push_back({m.type == "volume" ? m.source : "", m.target});
        info.execIds = c.execs;
        return info;
    }

    void createContainer(const std::string& name, const engine::ContainerCreate& config) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (containers.count(name))
            throw engine::EngineApiException("POST /containers/create", 409,
                                             "Conflict. The container name is already in use");
        if (!images.count(config.image))
            throw engine::EngineApiException("POST /containers/create", 404,
                                             "No such image: " + config.image);
        containers[name] = {config, engine::ContainerState::Created, {}};
        created.push_back(name);
    }

    void startContainer(const std::string& name) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        Container& c = find(name, "start");
        if (refusePrivileged && c.config.host.security == engine::SecurityMode::Privileged)
            throw engine::EngineApiException(
                "POST /containers/" + name + "/start", 500,
                "OCI runtime create failed: unable to apply caps: operation not permitted");
        c.state = engine::ContainerState::Running;
    }

    void stopContainer(const std::string& name, int) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = containers.find(name);
        if (it == containers.end())
            return;
        it->second.state = engine::ContainerState::Exited;
        for (const auto& id : it->second.execs)
            processes[id].running = false;
    }

    bool removeContainer(const std::string& name) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = containers.find(name);
        if (it == containers.end())
            return false;
        for (const auto& id : it->second.execs)
            processes[id].running = false;
        containers.erase(it);
        return true;
    }

    std::vector<std::string> staleContainers(const std::string& label, const std::string& value,
                                             long long) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::vector<std::string> names;
        for (const auto& [name, c] : containers)
        {
            auto it = c.config.labels.find(label);
            if (it != c.config.labels.end() && it->second == value &&
                c.state != engine::ContainerState::Running)
                names.push_back(name);
        }
        return names;
    }
    std::string containerLogs(const std::string&, int) override { return ""; }

    std::optional<engine::VolumeInfo> inspectVolume(const std::string& name) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = volumes.find(name);
        return it == volumes.end() ? std::nullopt : std::optional<engine::VolumeInfo>(it->second);
    }

    void createVolume(const std::string& name,
                      const std::map<std::string, std::string>& labels) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        volumes[name] = {name, labels};
    }

    bool removeVolume(const std::string& name, bool) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& [n, c] : containers)
        {
            for (const auto& m : c.config.host.mounts)
            {
                if (m.source == name)
                    throw engine::EngineApiException("DELETE /volumes/" + name, 409,
                                                     "volume is in use - [" + n + "]");
            }
        }
        return volumes.erase(name) > 0;
    }

    std::optional<engine::ImageInfo> inspectImage(const std::string& ref) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = images.find(ref);
        return it == images.end() ? std::nullopt : std::optional<engine::ImageInfo>(it->second);
    }

    void pullImage(const std::string& ref, const std::string&,
                   const engine::Images::Progress&) override
    {
        throw engine::EngineApiException("POST /images/create", 500,
                                         "Get \"https://registry-1.docker.io/v2/\": no registry "
                                         "for " +
                                             ref);
    }

    std::vector<std::string> loadImages(const std::function<void(std::ostream&)>&) override
    {
        return {};
    }

    int run(const std::string& container, const engine::ExecSpec& spec, std::istream*,
            const engine::FrameDemuxer::Sink& sink) override
    {
        std::string out, err;
        const int rc = capture(container, spec, out, err);
        if (sink && !out.empty())
            sink(1, out.data(), out.size());
        if (sink && !err.empty())
            sink(2, err.data(), err.size());
        return rc;
    }

    int capture(const std::string& container, const engine::ExecSpec& spec, std::string& out,
                std::string& err) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        Container& c = find(container, "exec");
        if (c.state != engine::ContainerState::Running)
            throw engine::EngineApiException("POST /containers/" + container + "/exec", 409,
                                             "Container " + container + " is not running");
        captured.push_back(spec.cmd);
        const std::string cmd = spec.cmd.empty() ? "" : spec.cmd.front();
        const bool buildctl = has(spec.cmd, "buildctl");
        if (buildctl && !buildctlFails.empty())
        {
            err = buildctlFails;
            return 1;
        }
        if (buildctl && has(spec.cmd, "workers"))
            out = "ID\tPLATFORMS\nw1\tlinux/amd64,linux/386\n";
        else if (buildctl && has(spec.cmd, "info"))
            out = "BuildKit: github.com/moby/buildkit v0.32.2 abc\n";
        else if (cmd == "buildkitd")
            out = "buildkitd github.com/moby/buildkit v0.32.2 abc\n";
        return 0;
    }

    engine::ExecInfo inspectExec(const std::string& id) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        const Process& p = processes.at(id);
        engine::ExecInfo info;
        info.id = id;
        info.running = p.running;
        info.entrypoint = p.argv.empty() ? "" : p.argv.front();
        if (!p.argv.empty())
            info.arguments.assign(p.argv.begin() + 1, p.argv.end());
        return info;
    }

    std::unique_ptr<builder::Lease> hold(const std::string& container,
                                         const engine::ExecSpec& spec) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        Container& c = find(container, "exec");
        if (c.state != engine::ContainerState::Running)
            throw engine::EngineApiException("POST /containers/" + container + "/exec", 409,
                                             "Container " + container + " is not running");
        const std::string id = "exec-" + std::to_string(processes.size() + 1);
        processes[id] = {container, spec.cmd, true};
        c.execs.push_back(id);
        return std::make_unique<Held>(*this, id);
    }

    std::unique_ptr<builder::Lease> relay(const std::string& container,
                                          const engine::ExecSpec& spec,
                                          const std::string& localSocket) override
    {
        {
            // The relay's socket appears in the container (its last argument).
            std::lock_guard<std::mutex> lock(_mutex);
            relayedTo.push_back(localSocket);
            if (!spec.cmd.empty())
                files[container + ":" + spec.cmd.back()] = 0;
        }
        return hold(container, spec);
    }

    void putArchive(const std::string& container, const std::string& dir,
                    const std::function<void(std::ostream&)>& writeTar) override
    {
        std::ostringstream tar;
        writeTar(tar);
        std::istringstream in(tar.str());
        std::lock_guard<std::mutex> lock(_mutex);
        find(container, "archive");
        const std::string at = !dir.empty() && dir.back() == '/' ? dir : dir + "/";
        base::TarReader::read(
            in, [&](base::TarReader::Entry& e)
            { files[container + ":" + at + e.name] = static_cast<long long>(e.size); });
    }

    void getArchive(const std::string& container, const std::string& path, std::ostream&) override
    {
        throw engine::EngineApiException("GET /containers/" + container + "/archive", 404,
                                         "Could not find the file " + path);
    }

    std::optional<engine::PathStat> statPath(const std::string& container,
                                             const std::string& path) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        Container& c = find(container, "archive");
        if (path == "/run/buildkit/buildkitd.sock" && c.state == engine::ContainerState::Running)
            return engine::PathStat{"buildkitd.sock", 0, false, ""};
        auto it = files.find(container + ":" + path);
        if (it == files.end())
            return std::nullopt;
        return engine::PathStat{path, it->second, false, ""};
    }

    std::string serverVersion = "29.0.0"; /// what info() says the engine runs

    engine::SystemInfo info() override
    {
        engine::SystemInfo i;
        i.id = "FAKE:ENGINE";
        i.serverVersion = serverVersion;
        i.cgroupDriver = "cgroupfs";
        return i;
    }

    engine::VersionInfo version() override
    {
        engine::VersionInfo v;
        v.arch = builder::Helper::ownArch();
        return v;
    }

    /// Returns the processes running in container whose argv holds word.
    int running(const std::string& container, const std::string& word)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        int n = 0;
        for (const auto& [id, p] : processes)
        {
            bool has = false;
            for (const auto& a : p.argv)
                has = has || a == word;
            n += p.container == container && p.running && has ? 1 : 0;
        }
        return n;
    }

private:
    // A held process: running until released.
    class Held : public builder::Lease
    {
    public:
        Held(FakeEngine& engine, std::string id) : _engine(engine), _id(std::move(id)) {}
        ~Held() override { end(); }
        bool releaseAndWait(Poco::Timespan) override
        {
            end();
            return true;
        }

    private:
        void end()
        {
            if (_engine.onRelease && _engine.processes[_id].running)
                _engine.onRelease();
            std::lock_guard<std::mutex> lock(_engine._mutex);
            _engine.processes[_id].running = false;
        }

        FakeEngine& _engine;
        std::string _id;
    };

    static bool has(const std::vector<std::string>& argv, const std::string& word)
    {
        for (const auto& a : argv)
        {
            if (a == word)
                return true;
        }
        return false;
    }

    Container& find(const std::string& name, const std::string& what)
    {
        auto it = containers.find(name);
        if (it == containers.end())
            throw engine::EngineApiException(what + " " + name, 404, "No such container: " + name);
        return it->second;
    }

    engine::Endpoint _endpoint;
    std::mutex _mutex;
};

} // namespace hoist::test
