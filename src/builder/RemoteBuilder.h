#pragma once

#include "builder/BuildChannel.h"
#include "builder/Builder.h"
#include "builder/ClientEngine.h"
#include "builder/RemoteSpec.h"
#include "engine/EngineClient.h"

#include <memory>
#include <string>
#include <vector>

namespace hoist::builder
{

/// A build's channel to a BuildKit daemon hoist does not run (buildx's remote driver). Its
/// client side is a container of the BuildKit image on the local engine, without network,
/// removed when it stops: hoist's helper is its only process, buildctl runs there for each
/// request, and its --addr is a unix socket whose connections the helper carries to this
/// process, which connects to the endpoint itself (as buildx does, from where it runs). The
/// certificates reach buildctl as files in memory. Nothing on the daemon is made or removed.
class RemoteBuilder : public BuildChannel
{
public:
    /// The helper's command that keeps the client container alive until a signal.
    static const char* const IDLE_COMMAND;

    /// Runs as `hoist __idle MARK`: waits for SIGINT or SIGTERM, then returns 0.
    static int idleMain();

    /// A channel to spec's daemon through client's engine; note receives progress notes.
    RemoteBuilder(engine::EngineClient& client, RemoteSpec spec, RemoteTls tls, Builder::Note note);

    /// A channel to spec's daemon through engine (a fake, in unit tests).
    RemoteBuilder(BuilderEngine& engine, RemoteSpec spec, RemoteTls tls, Builder::Note note);

    /// Removes the client container.
    ~RemoteBuilder() override;

    RemoteBuilder(const RemoteBuilder&) = delete;
    RemoteBuilder& operator=(const RemoteBuilder&) = delete;

    /// Sets the hints messages give (the client image's pull).
    void setHints(Hints hints);

    /// Makes the client container (its image pulled as pull says) and asks the daemon for its
    /// workers and version. Returns its status (state running). Throws base::UsageException
    /// when this hoist cannot run on the local engine's CPU or pull forbids the image, and
    /// base::UnavailableException naming the endpoint with buildctl's words when the daemon
    /// cannot be reached or refuses the connection (a TLS handshake, a certificate).
    BuilderStatus connect(PullPolicy pull, const std::string& registryAuth);

    /// Returns the spec.
    const RemoteSpec& spec() const;

    /// None: the daemon keeps its own state.
    std::string stateDir() override;

    /// None: nothing of the daemon's files is kept here.
    std::string identity() override;

    /// None: the daemon keeps its own state.
    std::string stateIdentity() override;

    /// See BuildChannel::hold (in the client container).
    std::unique_ptr<Lease> hold(const std::vector<std::string>& stop,
                                const std::vector<std::string>& remove) override;

    /// See BuildChannel::relay (in the client container).
    std::unique_ptr<Lease> relay(const std::string& localSocket, const std::string& path) override;

    /// See BuildChannel::exec; a buildctl command is sent to the daemon.
    int exec(const engine::ExecSpec& spec, std::istream* in,
             const engine::FrameDemuxer::Sink& out) override;

    /// See BuildChannel::execWithFiles; a buildctl command is sent to the daemon.
    std::optional<int> execWithFiles(const engine::ExecSpec& spec,
                                     const std::vector<std::string>& files,
                                     const engine::FrameDemuxer::Sink& out,
                                     const std::vector<Unpack>& unpack = {},
                                     const TarsWriter& writeTars = {}) override;

    /// See BuildChannel::copyIn (in the client container).
    void copyIn(const std::string& dir,
                const std::function<void(std::ostream&)>& writeTar) override;

    /// See BuildChannel::copyOut (from the client container).
    bool copyOut(const std::string& path, std::ostream& out) override;

    /// See BuildChannel::helperOutput (in the client container).
    std::optional<std::string> helperOutput(const std::vector<std::string>& args,
                                            std::string& why) override;

    /// See BuildChannel::loadImages: the local engine's image load.
    std::vector<std::string>
    loadImages(const std::function<void(std::ostream&)>& writeTar) override;

private:
    engine::ExecSpec toDaemon(engine::ExecSpec spec, std::size_t files) const;
    std::vector<std::string> withTls(std::vector<std::string> files) const;
    void createClient();
    void waitForSocket();
    std::string ask(const std::vector<std::string>& args);
    void removeClient();

    RemoteSpec _spec;
    RemoteTls _tls;
    std::unique_ptr<BuilderEngine> _own; // the engine, when made from a client
    BuilderEngine& _engine;
    Builder _client;
    std::string _marker;
    bool _created = false;
    std::unique_ptr<Lease> _alive; // stops the client when this process dies
    std::unique_ptr<Lease> _relay; // the daemon's connections
};

} // namespace hoist::builder
