#pragma once

#include "builder/BuilderEngine.h"
#include "engine/EngineClient.h"

namespace hoist::builder
{

/// A builder's engine over the Engine API: each call one request (or a hijacked stream) of
/// engine::Containers, Volumes, Images, Exec, Archive and System on client.
class ClientEngine : public BuilderEngine
{
public:
    /// The engine client reaches.
    explicit ClientEngine(engine::EngineClient& client);

    const engine::Endpoint& endpoint() const override;
    std::optional<engine::ContainerInfo> inspectContainer(const std::string& name) override;
    void createContainer(const std::string& name, const engine::ContainerCreate& config) override;
    void startContainer(const std::string& name) override;
    void stopContainer(const std::string& name, int timeoutSeconds) override;
    bool removeContainer(const std::string& name) override;
    std::vector<std::string> staleContainers(const std::string& label, const std::string& value,
                                             long long olderThanSeconds) override;
    std::string containerLogs(const std::string& name, int tail) override;
    std::optional<engine::VolumeInfo> inspectVolume(const std::string& name) override;
    void createVolume(const std::string& name,
                      const std::map<std::string, std::string>& labels) override;
    bool removeVolume(const std::string& name, bool force) override;
    std::optional<engine::ImageInfo> inspectImage(const std::string& ref) override;
    void pullImage(const std::string& ref, const std::string& registryAuth,
                   const engine::Images::Progress& progress) override;
    std::vector<std::string>
    loadImages(const std::function<void(std::ostream&)>& writeTar) override;
    int run(const std::string& container, const engine::ExecSpec& spec, std::istream* in,
            const engine::FrameDemuxer::Sink& out) override;
    int capture(const std::string& container, const engine::ExecSpec& spec, std::string& out,
                std::string& err) override;
    engine::ExecInfo inspectExec(const std::string& id) override;
    std::unique_ptr<Lease> hold(const std::string& container,
                                const engine::ExecSpec& spec) override;
    std::unique_ptr<Lease> relay(const std::string& container, const engine::ExecSpec& spec,
                                 const std::string& localSocket) override;
    void putArchive(const std::string& container, const std::string& dir,
                    const std::function<void(std::ostream&)>& writeTar) override;
    void getArchive(const std::string& container, const std::string& path,
                    std::ostream& out) override;
    std::optional<engine::PathStat> statPath(const std::string& container,
                                             const std::string& path) override;
    engine::SystemInfo info() override;
    engine::VersionInfo version() override;

private:
    engine::EngineClient& _client;
};

} // namespace hoist::builder
