// This file implements the builder lifecycle: setup (reuse, start, reconcile a changed config,
// or create), teardown, inspect, and the exec and copy capabilities the build uses. Bringing
// a container up is in Bootstrap.cpp; holds and cleaning in BuilderHolds.cpp.

#include "builder/Builder.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "builder/ClientEngine.h"
#include "builder/EngineLock.h"
#include "builder/Labels.h"
#include "engine/EngineError.h"

#include <memory>
#include <optional>
#include <thread>

namespace hoist::builder
{

namespace
{

// How long a lock may be held while a state is copied in or out (its lease): a killed hoist
// holds up the next job that long at most.
constexpr int STATE_LEASE_SECONDS = 900;

// The mode a container runs in, from hoist's label (or the mode asked for when it has none).
SecurityMode labelledMode(const engine::ContainerInfo& c, SecurityMode fallback)
{
    const std::string security = c.label(LABEL_SECURITY);
    return security == "capabilities" ? SecurityMode::Capabilities
           : security == "rootless"   ? SecurityMode::Rootless
                                      : fallback;
}

} // namespace

PullPolicy pullPolicyNamed(const std::string& name)
{
    return name == "always"  ? PullPolicy::Always
           : name == "never" ? PullPolicy::Never
                             : PullPolicy::Missing;
}

const char* actionName(SetupAction action)
{
    switch (action)
    {
    case SetupAction::Reused:
        return "reused";
    case SetupAction::Started:
        return "started";
    case SetupAction::Recreated:
        return "recreated";
    case SetupAction::Created:
        break;
    }
    return "created";
}

Builder::Builder(engine::EngineClient& client, BuilderSpec spec, Note note,
                 std::optional<BuildxStore> store)
    : _own(std::make_unique<ClientEngine>(client)),
      _engine(*_own),
      _spec(std::move(spec)),
      _note(std::move(note)),
      _store(std::move(store))
{
}

Builder::Builder(BuilderEngine& engine, BuilderSpec spec, Note note,
                 std::optional<BuildxStore> store)
    : _engine(engine), _spec(std::move(spec)), _note(std::move(note)), _store(std::move(store))
{
}

Builder::~Builder() = default;

const BuilderSpec& Builder::spec() const
{
    return _spec;
}

void Builder::setHints(Hints hints)
{
    _hints = std::move(hints);
}

void Builder::setEngineMemory(EngineMemory memory)
{
    _memory = std::move(memory);
}

void Builder::setPhase(Phase phase)
{
    _phase = std::move(phase);
}

std::unique_ptr<EngineLock> Builder::lock(const std::string& image, Poco::Timespan lease,
                                          bool force)
{
    auto lock =
        std::make_unique<EngineLock>(_engine, _spec.containerName(), image, _spec.session, _note);
    lock->setWayOut(_hints.teardownForce);
    lock->acquire(Poco::Timespan(600, 0), lease, force);
    return lock;
}

namespace
{

// The mode a container is compared in: a privileged request that fell back to capabilities
// matches that container.
SecurityMode comparedMode(const engine::ContainerInfo& existing, SecurityMode mode)
{
    const SecurityMode existingMode = labelledMode(existing, mode);
    return mode == SecurityMode::Privileged && existingMode == SecurityMode::Capabilities
               ? existingMode
               : mode;
}

} // namespace

bool Builder::configDiffers(const engine::ContainerInfo& existing, SecurityMode mode) const
{
    // One hoist did not make is kept as it is.
    return !existing.label(LABEL_BUILDER).empty() &&
           existing.label(LABEL_CONFIG) != _spec.configDigest(comparedMode(existing, mode));
}

SetupAction Builder::reconcile(const engine::ContainerInfo& existing, SecurityMode& mode,
                               const std::string& stateDir, Created& created)
{
    const bool ours = !existing.label(LABEL_BUILDER).empty();
    const SecurityMode existingMode = labelledMode(existing, mode);
    if (configDiffers(existing, mode))
    {
        _note("builder " + _spec.name +
              " exists with another configuration; recreating it, keeping its state volume " +
              _spec.volumeName());
        _engine.removeContainer(_spec.containerName());
        mode = comparedMode(existing, mode);
        createAndStart(mode, stateDir, created);
        return SetupAction::Recreated;
    }
    if (!existing.running)
        return startExisting(existing, existingMode, stateDir, created);
    if (!ours)
        _note("reusing " + _spec.containerName() +
              ", which hoist did not make (docker buildx?); its settings are kept as they are");
    mode = existingMode;
    return SetupAction::Reused;
}

namespace
{

// Runs body on a thread of its own until the object goes (joined then): an engine request in
// flight beside the caller's. What body throws is dropped: it must leave a trace another way.
class Concurrently
{
public:
    explicit Concurrently(std::function<void()> body)
        : _thread(
              [b = std::move(body)]
              {
                  try
                  {
                      b();
                  }
                  catch (...)
                  {
                  }
              })
    {
    }
    ~Concurrently() { _thread.join(); }
    Concurrently(const Concurrently&) = delete;
    Concurrently& operator=(const Concurrently&) = delete;

private:
    std::thread _thread;
};

} // namespace

SetupResult Builder::setup(PullPolicy pull, const std::string& registryAuth,
                           Poco::Timespan bootstrapTimeout, bool holdForJob)
{
    SetupResult result;
    Created created;
    _filled = false;
    try
    {
        ensureImage(pull, registryAuth);
        // Serialize with other hoist processes changing this builder, wherever they run. The
        // lease covers what happens under the lock (create, start, bootstrap; the pull is done
        // before): a setup killed outright holds up the next job that long at most.
        // A state restored under the lock takes as long as its copy: a longer lease.
        std::string stateDir;
        SecurityMode mode = SecurityMode::Privileged;
        auto held = lockForSetup(
            bootstrapTimeout + Poco::Timespan(_fill ? STATE_LEASE_SECONDS : 30, 0), mode, stateDir);
        result.warmState = _engine.inspectVolume(_spec.volumeName()).has_value();
        if (auto existing = _engine.inspectContainer(_spec.containerName()))
            result.action = reconcile(*existing, mode, stateDir, created);
        else
        {
            if (result.warmState)
                _note("reusing the kept state volume " + _spec.volumeName());
            createAndStart(mode, stateDir, created);
        }
        _facts = {};
        if (_phase)
            _phase("booting BuildKit in " + _spec.containerName(), false);
        // Beside the wait: buildkitd --version, and the helper the first build needs.
        std::optional<Concurrently> version, upload;
        waitReady(bootstrapTimeout, created.container, socketPath(mode),
                  [&]
                  {
                      if (!version)
                          version.emplace([this] { recordVersion(); });
                      // A daemon that has just started runs no build: work dirs on the kept
                      // volume and credentials in /tmp are leftovers of a hoist that was
                      // killed with its builder (cleaning uploads the helper). A new
                      // container on a new volume has none.
                      if (result.action != SetupAction::Reused &&
                          !(created.container && created.volume))
                          cleanLeftovers();
                      else if (!upload && result.action != SetupAction::Reused)
                          upload.emplace([&helper = helper()] { helper.path(); });
                  });
        version.reset();
        upload.reset();
        if (holdForJob)
            _jobHold = hold({}, {});
        result.status = inspect();
        result.mode = result.status.security.value_or(SecurityMode::Privileged);
        if (_store)
            _store->save(_spec, buildxEndpoint());
        return result;
    }
    catch (...)
    {
        _jobHold.reset();
        undo(created);
        throw;
    }
}

void Builder::undo(const Created& created)
{
    // Leave nothing a failed setup made behind; a kept volume that was there stays.
    base::Cancellation::Cleanup cleanup;
    try
    {
        if (created.container)
            _engine.removeContainer(_spec.containerName());
        if (created.volume)
            _engine.removeVolume(_spec.volumeName(), true);
    }
    catch (const Poco::Exception& e)
    {
        base::Log::get("builder").warning("cleanup after a failed setup: %s", e.displayText());
    }
}

TeardownResult Builder::teardown(bool keepState, bool force, bool keepDaemon, const StateSave* save)
{
    TeardownResult result;
    if (keepDaemon)
    {
        releaseJobHold();
        if (_store)
            _store->remove(_spec.name);
        result.keptVolume = true;
        return result;
    }
    auto existing = _engine.inspectContainer(_spec.containerName());
    std::unique_ptr<EngineLock> held;
    if (existing)
    {
        // The lock container needs an image the engine has: the builder's own.
        held = lock(existing->image, Poco::Timespan(save ? STATE_LEASE_SECONDS : 60, 0), force);
    }
    // Only under the lock: a setup waiting for the holders to recreate the builder with another
    // configuration would take it in between, and this job's save would be lost to it.
    releaseJobHold();
    if (existing)
        existing = _engine.inspectContainer(_spec.containerName());
    if (existing && !force && existing->label(LABEL_BUILDER).empty())
        throw base::UsageException("refusing to remove " + _spec.containerName() +
                                   ": hoist did not make it (docker buildx?)\nhint: " +
                                   _hints.teardownForce + " removes it anyway");
    // A builder belongs to whoever uses it: one whose maker is gone is anyone's to remove, one
    // that builds of other jobs still hold is left running for them.
    if (existing && !force && existing->running && !(result.heldBy = holders()).empty())
    {
        if (save)
            _note("the state is not saved: the builds of " + base::join(result.heldBy, ", ") +
                  " still use the builder (a save stops it)");
        return result;
    }
    if (existing && save && existing->running)
        saveState(*save, result);
    else if (save)
        _note("the builder is not running: its state is not saved");
    if (existing)
    {
        // Cancelled by a signal, hoist has seconds before the CI kills it: buildkitd stops in
        // well under that once its builds are stopped.
        _engine.stopContainer(_spec.containerName(), base::Cancellation::signal() != 0 ? 2 : 10);
        result.removedContainer = _engine.removeContainer(_spec.containerName());
    }
    if (!keepState)
        result.removedVolume = removeVolume();
    else
        keepVolume(result);
    if (_store)
        _store->remove(_spec.name);
    return result;
}

void Builder::releaseJobHold()
{
    if (!_jobHold)
        return;
    // This job's own hold must not keep the builder from it: let go, and see it end.
    _jobHold->releaseAndWait(Poco::Timespan(5, 0));
    _jobHold.reset();
}

void Builder::keepVolume(TeardownResult& result)
{
    // Its size is left to hoist inspect: the engine's disk-usage walk takes longer than the
    // rest of a teardown.
    result.keptVolume = _engine.inspectVolume(_spec.volumeName()).has_value();
}

BuilderStatus Builder::inspect()
{
    BuilderStatus s;
    s.name = _spec.name;
    s.container = _spec.containerName();
    s.volume = _spec.volumeName();
    s.volumeExists = _engine.inspectVolume(s.volume).has_value();
    auto c = _engine.inspectContainer(s.container);
    if (!c)
        return s;
    s.state = c->running ? BuilderState::Running : BuilderState::Stopped;
    s.image = c->image;
    const bool ours = !c->label(LABEL_BUILDER).empty();
    s.createdBy = ours ? "hoist " + c->label(LABEL_VERSION) : "not hoist (docker buildx?)";
    s.session = c->label(LABEL_SESSION);
    s.driverOpts = c->label(LABEL_DRIVER_OPTS);
    if (ours)
        s.security = labelledMode(*c, SecurityMode::Privileged);
    else if (c->privileged)
        s.security = SecurityMode::Privileged;
    if (c->running)
        fillDaemonFacts(s);
    return s;
}

void Builder::copyIn(const std::string& dir, const std::function<void(std::ostream&)>& writeTar)
{
    _engine.putArchive(_spec.containerName(), dir, writeTar);
}

bool Builder::copyOut(const std::string& path, std::ostream& out)
{
    try
    {
        _engine.getArchive(_spec.containerName(), path, out);
        return true;
    }
    catch (const engine::EngineApiException& e)
    {
        if (e.status() == 404)
            return false;
        throw;
    }
}

std::vector<std::string> Builder::loadImages(const std::function<void(std::ostream&)>& writeTar)
{
    return _engine.loadImages(writeTar);
}

std::string Builder::stateDir()
{
    auto c = _engine.inspectContainer(_spec.containerName());
    for (const auto& m : c ? c->mounts : std::vector<engine::ContainerInfo::Mount>())
    {
        if (m.name == _spec.volumeName())
            return m.destination;
    }
    return "";
}

std::string Builder::identity()
{
    // Its memory (/dev/shm) is made anew each time it starts.
    auto c = _engine.inspectContainer(_spec.containerName());
    return c ? c->id + " " + c->startedAt : "";
}

std::string Builder::stateIdentity()
{
    auto v = _engine.inspectVolume(_spec.volumeName());
    if (!v)
        return "";
    auto id = v->labels.find(LABEL_VOLUME_ID);
    return id == v->labels.end() || id->second.empty() ? "" : v->name + " " + id->second;
}

bool Builder::hasStateVolume()
{
    return _engine.inspectVolume(_spec.volumeName()).has_value();
}

std::string Builder::imageId()
{
    auto image = _engine.inspectImage(_spec.opts.image);
    return image ? image->id : "";
}

std::string Builder::containerImageId()
{
    auto c = _engine.inspectContainer(_spec.containerName());
    return c ? c->imageId : "";
}

std::string Builder::engineArch()
{
    return _engine.version().arch;
}

bool Builder::running()
{
    auto c = _engine.inspectContainer(_spec.containerName());
    return c && c->running;
}

int Builder::exec(const engine::ExecSpec& spec, std::istream* in,
                  const engine::FrameDemuxer::Sink& out)
{
    return _engine.run(_spec.containerName(), spec, in, out);
}

void Builder::makeCurrent()
{
    if (_store)
        _store->use(_spec.name, buildxEndpoint());
}

std::string Builder::buildxEndpoint() const
{
    return _engine.endpoint().buildxName();
}

} // namespace hoist::builder
