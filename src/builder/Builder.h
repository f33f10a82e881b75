#pragma once

#include "builder/BuildChannel.h"
#include "builder/BuilderEngine.h"
#include "builder/BuilderSpec.h"
#include "builder/BuilderStatus.h"
#include "builder/BuildxStore.h"
#include "builder/EngineLock.h"
#include "builder/EngineMemory.h"
#include "builder/Helper.h"
#include "builder/StateAttrs.h"
#include "engine/EngineClient.h"
#include "engine/Exec.h"
#include "engine/HeldExec.h"
#include "engine/SocketRelay.h"
#include "engine/Types.h"

#include <Poco/Timespan.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace hoist::builder
{

/// When setup pulls the BuildKit image.
enum class PullPolicy
{
    Always,  /// every setup (buildx's behaviour)
    Missing, /// only when the engine does not have it
    Never    /// never; a missing image is an error
};

/// Returns the policy named as the user names it: "always", "never", anything else missing
/// (the option table checked the name).
PullPolicy pullPolicyNamed(const std::string& name);

/// How the user changes what the builder does, for the hints of messages: filled by the
/// caller from the options as the user can give them (the module spells none).
struct Hints
{
    std::string pullNever;        /// how pulling was forbidden, e.g. --image-pull=never
    std::string pullMissing;      /// e.g. --image-pull=missing
    std::string otherImage;       /// e.g. --driver-opt image=REF
    std::string bootstrapTimeout; /// e.g. --bootstrap-timeout
    std::string teardownForce;    /// e.g. hoist teardown --force
};

/// What teardown does with a builder's state before the container goes (see teardown).
struct StateSave
{
    /// Runs while the daemon still runs (prune, list attributes); stateDir is the volume's mount.
    std::function<void(const std::string& stateDir)> beforeStop;
    /// Runs once the container has stopped (copy the volume out with copyOut).
    std::function<void(const std::string& stateDir)> afterStop;
};

/// A builder on one engine with buildx's docker-container semantics: create or reuse it,
/// bootstrap it, inspect it, tear it down keeping its state volume; and, as the build's
/// channel, run processes and copy files in it, the only way the build reaches the engine.
class Builder : public BuildChannel
{
public:
    /// Receives progress notes ("pulling image …", "recreating …").
    using Note = std::function<void(const std::string&)>;

    /// A builder of spec on client's engine; store, when given, gets buildx's entry.
    Builder(engine::EngineClient& client, BuilderSpec spec, Note note,
            std::optional<BuildxStore> store = std::nullopt);

    /// A builder of spec on engine (a fake, in unit tests).
    Builder(BuilderEngine& engine, BuilderSpec spec, Note note,
            std::optional<BuildxStore> store = std::nullopt);

    /// Lets go of this job's hold, if it has one.
    ~Builder() override;

    /// Sets the hints messages give.
    void setHints(Hints hints);

    /// Receives the phases of a setup for a live view, beyond the notes: "booting BuildKit",
    /// and the image pull's bytes (update: the same phase, further on).
    using Phase = std::function<void(const std::string& text, bool update)>;
    void setPhase(Phase phase);

    /// Makes the builder ready: reuses a running one with the same config, starts a stopped
    /// one, recreates one of hoist's whose config changed (keeping its volume; once no other
    /// job's build holds it, waiting for them and saying for whom), or creates it.
    /// Waits for buildkitd up to bootstrapTimeout. On any failure or cancellation, removes
    /// what this call created. registryAuth is the X-Registry-Auth for the image ("" none).
    /// With holdForJob, the builder is held for this job (see hold) from before the engine
    /// lock is released until teardown, so no other job's teardown takes it away between
    /// setup and the build.
    /// Throws base::UnavailableException (image, engine or daemon problems),
    /// base::UsageException (pull=never and no image), base::CancelledException.
    SetupResult setup(PullPolicy pull, const std::string& registryAuth,
                      Poco::Timespan bootstrapTimeout, bool holdForJob = false);

    /// Makes sure the engine has the spec's image, pulling it as pull says with the
    /// X-Registry-Auth registryAuth ("" none); a failed pull of an image the engine has is a
    /// note. Throws base::UsageException (pull=never and no image), base::UnavailableException.
    void ensureImage(PullPolicy pull, const std::string& registryAuth);

    /// Remembers on this machine what setups learn of the engine (see EngineMemory): a warm
    /// setup on an engine that refuses privileged containers goes straight to the fallback.
    void setEngineMemory(EngineMemory memory);

    /// Fills a state volume this setup creates before buildkitd first starts: fill gets the
    /// volume's mount in the created container (see copyIn) and returns false when it wrote
    /// part of the volume and failed, which makes setup start on a new, empty volume instead.
    /// Called at most once per setup, never for a volume that existed.
    using FillState = std::function<bool(const std::string& stateDir)>;
    void setStateFill(FillState fill);

    /// Removes the builder: the container (stopped first), its buildx store entry and, unless
    /// keepState, its state volume; lets go of this job's hold (see setup) under the engine lock, so no setup
    /// waiting to recreate the builder takes it in between. Refuses (base::UsageException) a builder hoist did not
    /// make, or one of another session, unless force. keepDaemon removes only the store entry.
    /// save, when given and the builder runs with no other build holding it, runs around the
    /// stop (see StateSave); the container goes whatever it throws. result.stateSaved tells
    /// whether it ran. Idempotent.
    TeardownResult teardown(bool keepState, bool force, bool keepDaemon,
                            const StateSave* save = nullptr);

    /// Removes build cache until what is left takes at most keepBytes (`buildctl prune
    /// --keep-storage`, least recently used first). Returns false when buildctl failed
    /// (why gets its message).
    bool prune(std::uint64_t keepBytes, std::string& why);

    /// Lists the attributes under dir that a copyOut loses (see StateAttrs), through the
    /// helper; std::nullopt when the helper cannot run in the builder or failed (why says).
    std::optional<StateAttrs::Listing> stateAttrs(const std::string& dir, std::string& why);

    /// Makes the builder buildx's current one for its engine (`docker buildx use`), when the
    /// builder has a store. Throws Poco::FileException when the store is not writable.
    void makeCurrent();

    /// Returns the engine as buildx names it in its store: the docker context, or the host.
    std::string buildxEndpoint() const;

    /// Returns the builder's status; with the daemon running, also its version and platforms.
    BuilderStatus inspect();

    /// Holds the builder (see BuildChannel::hold) in this job's name, the spec's session:
    /// teardown leaves a held builder running. Throws engine errors.
    std::unique_ptr<Lease> hold(const std::vector<std::string>& stop,
                                const std::vector<std::string>& remove) override;

    /// See BuildChannel::relay (an engine::SocketRelay). Throws engine errors.
    std::unique_ptr<Lease> relay(const std::string& localSocket, const std::string& path) override;

    /// Returns the jobs whose holds are alive on the builder, each once (none of this
    /// object's once released); "another job" for a hold that names none.
    std::vector<std::string> holders();

    /// Returns true when the builder's container runs (one engine call, no exec).
    bool running();

    /// Returns true when the builder's state volume exists (a kept cache).
    bool hasStateVolume();

    /// Returns the id of the BuildKit image the spec names; "" when the engine lacks it.
    std::string imageId();

    /// Returns the id of the image the builder's container was made from; "" without one.
    std::string containerImageId();

    /// Returns the engine's CPU architecture, as Docker names it ("amd64").
    std::string engineArch();

    /// Returns where the state volume is mounted in the builder ("" when it has none): room for
    /// large files, on most machines faster for many small files than the container's layer.
    std::string stateDir() override;

    /// Returns the container's ID and when it last started ("" when there is none).
    std::string identity() override;

    /// Returns the state volume's name and the random value hoist labelled it with when it made
    /// it ("" when there is none, or another tool made it).
    std::string stateIdentity() override;

    /// Runs spec in the builder's container (see engine::Exec::run).
    int exec(const engine::ExecSpec& spec, std::istream* in,
             const engine::FrameDemuxer::Sink& out) override;

    /// See BuildChannel::execWithFiles: the tars are written on another thread while the exec
    /// runs. Throws what writeTars throws, and engine errors.
    std::optional<int> execWithFiles(const engine::ExecSpec& spec,
                                     const std::vector<std::string>& files,
                                     const engine::FrameDemuxer::Sink& out,
                                     const std::vector<Unpack>& unpack = {},
                                     const TarsWriter& writeTars = {}) override;

    /// See BuildChannel::helperOutput.
    std::optional<std::string> helperOutput(const std::vector<std::string>& args,
                                            std::string& why) override;

    /// See BuildChannel::copyIn (the engine's archive PUT).
    void copyIn(const std::string& dir,
                const std::function<void(std::ostream&)>& writeTar) override;

    /// See BuildChannel::copyOut (the engine's archive GET).
    bool copyOut(const std::string& path, std::ostream& out) override;

    /// See BuildChannel::loadImages (POST /images/load). Throws engine::EngineApiException for
    /// the engine's refusal.
    std::vector<std::string>
    loadImages(const std::function<void(std::ostream&)>& writeTar) override;

    /// Returns the spec.
    const BuilderSpec& spec() const;

private:
    struct Created
    {
        bool container = false;
        bool volume = false;
    };

    std::unique_ptr<EngineLock> lock(const std::string& image, Poco::Timespan lease, bool force);
    std::unique_ptr<EngineLock> lockForSetup(Poco::Timespan lease, SecurityMode& mode,
                                             std::string& stateDir);
    bool configDiffers(const engine::ContainerInfo& existing, SecurityMode mode) const;
    SetupAction reconcile(const engine::ContainerInfo& existing, SecurityMode& mode,
                          const std::string& stateDir, Created& created);
    void undo(const Created& created);
    SecurityMode chooseMode(const std::string& image, std::string& stateDir);
    void createAndStart(SecurityMode mode, const std::string& stateDir, Created& created);
    bool startOrFallBack(SecurityMode mode);
    SetupAction startExisting(const engine::ContainerInfo& existing, SecurityMode mode,
                              const std::string& stateDir, Created& created);
    /// What a setup learnt of the daemon as it booted, so no exec asks again.
    struct DaemonFacts
    {
        std::string workers; /// `buildctl debug workers` as the readiness probe printed it
        std::string version; /// `buildkitd --version`
    };

    bool probeReady(bool ownContainer, bool& restarted, std::string& lastErr);
    std::string socketPath(SecurityMode mode) const;
    void waitReady(Poco::Timespan timeout, bool ownContainer, const std::string& socket,
                   const std::function<void()>& whileBooting);
    void fillDaemonFacts(BuilderStatus& status);
    void recordVersion();
    void releaseJobHold();
    void keepVolume(TeardownResult& result);
    Helper& helper();
    void cleanLeftovers();
    bool removeVolume();
    bool fillVolume(const std::string& stateDir, Created& created);
    void saveState(const StateSave& save, TeardownResult& result);

    std::unique_ptr<BuilderEngine> _own; // the engine, when made from a client
    BuilderEngine& _engine;
    BuilderSpec _spec;
    Note _note;
    std::optional<BuildxStore> _store;
    std::unique_ptr<Helper> _helper;
    DaemonFacts _facts;
    Hints _hints;
    FillState _fill;
    Phase _phase;
    bool _filled = false;
    std::unique_ptr<Lease> _jobHold;
    std::optional<EngineMemory> _memory;
};

} // namespace hoist::builder
