#pragma once

#include "builder/BuildChannel.h"
#include "engine/Archive.h"
#include "engine/Endpoint.h"
#include "engine/Exec.h"
#include "engine/FrameDemuxer.h"
#include "engine/Images.h"
#include "engine/Requests.h"
#include "engine/Types.h"

#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// What a builder needs of a Docker engine, and all it uses of one (the port builder::Builder,
/// its lock and its helper go through): containers, volumes, images, processes and files in
/// containers, and the engine's own facts. ClientEngine is the real engine; unit tests give
/// a fake. Failures are engine::EngineApiException with the engine's status and message.
class BuilderEngine
{
public:
    virtual ~BuilderEngine() = default;

    /// Returns how the engine is reached (for buildx's store).
    virtual const engine::Endpoint& endpoint() const = 0;

    /// Returns the container named name; nothing when there is none.
    virtual std::optional<engine::ContainerInfo> inspectContainer(const std::string& name) = 0;
    /// Creates a container named name (409 when the name is taken).
    virtual void createContainer(const std::string& name,
                                 const engine::ContainerCreate& config) = 0;
    /// Starts it; one already running is fine.
    virtual void startContainer(const std::string& name) = 0;
    /// Stops it within timeoutSeconds; one stopped or gone is fine.
    virtual void stopContainer(const std::string& name, int timeoutSeconds) = 0;
    /// Removes it by force with its anonymous volumes; returns false when there was none.
    virtual bool removeContainer(const std::string& name) = 0;
    /// Returns the names of the containers labelled label=value that do not run and were
    /// created more than olderThanSeconds ago.
    virtual std::vector<std::string> staleContainers(const std::string& label,
                                                     const std::string& value,
                                                     long long olderThanSeconds) = 0;
    /// Returns the last tail lines of its output.
    virtual std::string containerLogs(const std::string& name, int tail) = 0;

    /// Returns the volume named name; nothing when there is none.
    virtual std::optional<engine::VolumeInfo> inspectVolume(const std::string& name) = 0;
    /// Creates the volume (one that exists is fine).
    virtual void createVolume(const std::string& name,
                              const std::map<std::string, std::string>& labels) = 0;
    /// Removes it; returns false when there was none (409 when a container uses it).
    virtual bool removeVolume(const std::string& name, bool force) = 0;

    /// Returns the image ref names; nothing when the engine lacks it.
    virtual std::optional<engine::ImageInfo> inspectImage(const std::string& ref) = 0;
    /// Pulls ref with the X-Registry-Auth registryAuth ("" none), telling progress.
    virtual void pullImage(const std::string& ref, const std::string& registryAuth,
                           const engine::Images::Progress& progress) = 0;
    /// Loads the image tar writeTar writes; returns the names loaded.
    virtual std::vector<std::string>
    loadImages(const std::function<void(std::ostream&)>& writeTar) = 0;

    /// Runs spec in container with in as its stdin (none when nullptr), its output to out;
    /// returns its exit code.
    virtual int run(const std::string& container, const engine::ExecSpec& spec, std::istream* in,
                    const engine::FrameDemuxer::Sink& out) = 0;
    /// Runs spec in container, its output kept in out and err; returns its exit code.
    virtual int capture(const std::string& container, const engine::ExecSpec& spec,
                        std::string& out, std::string& err) = 0;
    /// Returns the exec'd process id.
    virtual engine::ExecInfo inspectExec(const std::string& id) = 0;
    /// Starts spec in container and holds its stdin open while the lease lives (see
    /// engine::HeldExec).
    virtual std::unique_ptr<Lease> hold(const std::string& container,
                                        const engine::ExecSpec& spec) = 0;
    /// Starts spec (a relay) in container, carrying what it accepts to localSocket while the
    /// lease lives (see engine::SocketRelay).
    virtual std::unique_ptr<Lease> relay(const std::string& container, const engine::ExecSpec& spec,
                                         const std::string& localSocket) = 0;

    /// Extracts the tar writeTar writes into dir of container.
    virtual void putArchive(const std::string& container, const std::string& dir,
                            const std::function<void(std::ostream&)>& writeTar) = 0;
    /// Writes path of container as a tar to out (404 when there is none).
    virtual void getArchive(const std::string& container, const std::string& path,
                            std::ostream& out) = 0;
    /// Returns what path of container is; nothing when there is none.
    virtual std::optional<engine::PathStat> statPath(const std::string& container,
                                                     const std::string& path) = 0;

    /// Returns the engine's facts (GET /info).
    virtual engine::SystemInfo info() = 0;
    /// Returns the engine's version (GET /version).
    virtual engine::VersionInfo version() = 0;
};

} // namespace hoist::builder
