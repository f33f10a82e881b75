// This file implements the builder lifecycle: buildx's Bootstrap (reference §0, §5) with
// hoist's additions — pull only when missing, reconcile a changed config, fall back from
// privileged on engines that refuse it, label what it makes, and remove what a failed or
// cancelled setup made.

#include "builder/Builder.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "builder/ConfigArchive.h"
#include "builder/ContainerConfig.h"
#include "builder/EngineLock.h"
#include "builder/Hold.h"
#include "builder/Labels.h"
#include "engine/Archive.h"
#include "engine/Containers.h"
#include "engine/EngineError.h"
#include "engine/Images.h"
#include "engine/System.h"
#include "engine/Volumes.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <Poco/Timestamp.h>
#include <algorithm>
#include <memory>

namespace hoist::builder
{

namespace
{

const char* STATE_DIR = "/var/lib/buildkit";
const char* ROOTLESS_STATE_DIR = "/home/user/.local/share/buildkit";

// Returns the lines of a container log worth showing: those that report an error, else the
// last few, each as "| line" so they read as quoted output.
std::string logExcerpt(const std::string& logs)
{
    std::vector<std::string> lines = base::splitTrimmed(logs, '\n');
    std::vector<std::string> picked;
    for (const auto& l : lines)
    {
        std::string lower = Poco::toLower(l);
        if ((lower.find("error") != std::string::npos || lower.find("fatal") != std::string::npos ||
             lower.find("not defined") != std::string::npos) &&
            std::find(picked.begin(), picked.end(), l) == picked.end())
            picked.push_back(l);
    }
    if (picked.empty())
        picked.assign(lines.size() > 8 ? lines.end() - 8 : lines.begin(), lines.end());
    if (picked.size() > 10)
        picked.erase(picked.begin(), picked.end() - 10);
    for (auto& l : picked)
        l = "| " + l;
    return base::join(picked, "\n");
}

bool isRunning(const Poco::JSON::Object::Ptr& container)
{
    auto state = container ? container->getObject("State") : nullptr;
    return state && state->has("Running") && state->getValue<bool>("Running");
}

// The engine's word for the container's state: created, running, exited, dead, restarting…
std::string status(const Poco::JSON::Object::Ptr& container)
{
    auto state = container ? container->getObject("State") : nullptr;
    return state ? state->optValue<std::string>("Status", "") : "";
}

} // namespace

/// What this setup made, to remove again if it fails.
struct Builder::Created
{
    bool container = false;
    bool volume = false;
};

Builder::Builder(engine::EngineClient& client, BuilderSpec spec, Note note,
                 std::optional<BuildxStore> store)
    : _client(client), _spec(std::move(spec)), _note(std::move(note)), _store(std::move(store))
{
}

const BuilderSpec& Builder::spec() const
{
    return _spec;
}

void Builder::ensureImage(PullPolicy pull, const std::string& registryAuth)
{
    engine::Images images(_client);
    const std::string& image = _spec.opts.image;
    bool present = !images.inspect(image).isNull();
    if (present && pull != PullPolicy::Always)
        return;
    if (!present && pull == PullPolicy::Never)
        throw base::UsageException(
            "the BuildKit image " + base::quoted(image) +
            " is not on the engine and --image-pull=never forbids pulling it\n"
            "hint: pull or load it first, or use --image-pull=missing");
    _note("pulling image " + image);
    try
    {
        images.pull(image, "", registryAuth, nullptr);
    }
    catch (const engine::EngineApiException& e)
    {
        if (present)
        {
            _note("using local image " + image + " (pull failed: " + e.engineMessage() + ")");
            return;
        }
        throw base::UnavailableException(
            "cannot pull the BuildKit image " + base::quoted(image) + ": " + e.engineMessage() +
            "\nhint: without registry access, build one with scripts/testenv (docs/testing.md) and "
            "pass --driver-opt image=REF");
    }
}

SecurityMode Builder::chooseMode(const std::string& image, std::string& stateDir)
{
    auto info = engine::Images(_client).inspect(image);
    auto config = info ? info->getObject("Config") : nullptr;
    std::string user = config && config->has("User") ? config->getValue<std::string>("User") : "";
    stateDir = STATE_DIR;
    if (!user.empty() && user != "root" && user != "0" && !base::startsWith(user, "0:"))
    {
        // A rootless image keeps its state under the user's home: the volume goes there so
        // keep-state keeps the cache.
        stateDir = ROOTLESS_STATE_DIR;
        return SecurityMode::Rootless;
    }
    return SecurityMode::Privileged;
}

void Builder::createAndStart(SecurityMode mode, const std::string& stateDir, Created& created)
{
    engine::Containers containers(_client);
    engine::System system(_client);
    auto info = system.info();
    EngineFacts facts;
    facts.cgroupDriver = info->optValue<std::string>("CgroupDriver", "");
    if (auto opts = info->getArray("SecurityOptions"))
    {
        for (std::size_t i = 0; i < opts->size(); ++i)
            facts.userns =
                facts.userns ||
                opts->getElement<std::string>(static_cast<unsigned>(i)).find("name=userns") !=
                    std::string::npos;
    }

    engine::Volumes volumes(_client);
    if (!volumes.inspect(_spec.volumeName()))
    {
        volumes.create(_spec.volumeName(), ContainerConfig::labels(_spec, mode));
        created.volume = true;
    }

    for (;;)
    {
        Poco::JSON::Object::Ptr body = ContainerConfig::build(_spec, mode, facts, stateDir);
        _note("creating container " + _spec.containerName() + " (" +
              engine::securityModeName(mode) + ")");
        try
        {
            containers.create(_spec.containerName(), *body);
            created.container = true;
        }
        catch (const engine::EngineApiException& e)
        {
            // Another process made it a moment ago, as buildx tolerates: wait for it instead.
            if (e.status() != 409)
                throw;
            _note("container " + _spec.containerName() +
                  " was just created by someone else; waiting for it");
            return;
        }
        const auto files = _spec.files();
        engine::Archive(_client).put(_spec.containerName(), "/etc",
                                     [&](std::ostream& out) { ConfigArchive::write(out, files); });
        try
        {
            containers.start(_spec.containerName());
            return;
        }
        catch (const engine::EngineApiException& e)
        {
            if (mode != SecurityMode::Privileged || !engine::isCapabilityRefusal(e.engineMessage()))
                throw;
            _note("the engine refuses privileged containers (" + e.engineMessage() +
                  "); using the capability fallback instead (see hoist doctor)");
            containers.remove(_spec.containerName(), true, true);
            created.container = false;
            mode = SecurityMode::Capabilities;
        }
    }
}

std::string Builder::startExisting(const Poco::JSON::Object::Ptr& existing, SecurityMode mode,
                                   const std::string& stateDir, Created& created)
{
    engine::Containers containers(_client);
    const bool ours = !label(existing, LABEL_BUILDER).empty();
    const std::string state = status(existing);
    // Never started (a setup killed between create and start), or dead: nothing in it to keep.
    if (ours && (state == "created" || state == "dead"))
    {
        _note("found " + _spec.containerName() + " " + state +
              " (a setup that was killed?); recreating it, keeping its state volume");
        containers.remove(_spec.containerName(), true, true);
        createAndStart(mode, stateDir, created);
        return "recreated";
    }
    _note("starting " + _spec.containerName());
    try
    {
        containers.start(_spec.containerName());
        return "started";
    }
    catch (const engine::EngineApiException& e)
    {
        // A privileged container this engine cannot start: made where it could, or left by a
        // setup killed before its fallback. Made anew, it falls back.
        if (!ours || !engine::isCapabilityRefusal(e.engineMessage()))
            throw;
        _note(_spec.containerName() + " cannot start here (" + e.engineMessage() +
              "); recreating it, keeping its state volume");
        containers.remove(_spec.containerName(), true, true);
        createAndStart(mode == SecurityMode::Capabilities ? SecurityMode::Privileged : mode,
                       stateDir, created);
        return "recreated";
    }
}

void Builder::waitReady(Poco::Timespan timeout, bool ownContainer)
{
    engine::Containers containers(_client);
    engine::Exec exec(_client);
    engine::ExecSpec probe;
    probe.cmd = {"buildctl", "debug", "workers"};
    Poco::Timestamp started;
    std::string lastOut, lastErr;
    bool restarted = false;
    for (int attempt = 1;; ++attempt)
    {
        base::Cancellation::check();
        lastOut.clear();
        lastErr.clear();
        try
        {
            if (exec.capture(_spec.containerName(), probe, lastOut, lastErr) == 0)
                return;
        }
        catch (const engine::EngineApiException& e)
        {
            // 409: not running; 404: gone. Another process may be recreating a container it
            // made, so only a container of our own that crashed ends the wait early.
            if (e.status() != 409 && e.status() != 404)
                throw;
            lastErr = e.engineMessage();
            auto c = containers.inspect(_spec.containerName());
            const std::string state = status(c);
            bool crashed = state == "exited" || (c && c->optValue<int>("RestartCount", 0) > 0);
            // Stopped under us (another job's teardown of a builder it was stopping): start it
            // once more rather than wait out the timeout; stopped again, it is not coming.
            if (state == "exited" && !restarted)
            {
                _note(_spec.containerName() + " stopped while it was being set up; starting it");
                restarted = true;
                containers.start(_spec.containerName());
                continue;
            }
            if ((ownContainer || restarted) && crashed)
                break;
        }
        if (started.isElapsed(timeout.totalMicroseconds()))
            break;
        Poco::Thread::sleep(std::min(120 * attempt, 1000));
    }
    std::string logs;
    try
    {
        logs = logExcerpt(containers.logs(_spec.containerName(), 200));
    }
    catch (const Poco::Exception&)
    {
    }
    throw base::UnavailableException(
        "BuildKit in " + _spec.containerName() + " did not become ready within " +
        std::to_string(timeout.totalSeconds()) +
        "s: " + base::join(base::splitTrimmed(lastErr, '\n'), "; ") +
        (logs.empty() ? "" : "\nthe container's log says:\n" + logs) +
        "\nhint: hoist doctor checks what the engine allows; --bootstrap-timeout gives it longer");
}

void Builder::fillDaemonFacts(BuilderStatus& status)
{
    engine::Exec exec(_client);
    engine::ExecSpec spec;
    std::string out, err;
    spec.cmd = {"buildctl", "debug", "workers"};
    if (exec.capture(_spec.containerName(), spec, out, err) == 0)
        status.platforms = parseWorkerPlatforms(out);
    out.clear();
    spec.cmd = {"buildkitd", "--version"};
    if (exec.capture(_spec.containerName(), spec, out, err) == 0)
        status.buildkitVersion = parseBuildkitVersion(out);
}

SetupResult Builder::setup(PullPolicy pull, const std::string& registryAuth,
                           Poco::Timespan bootstrapTimeout)
{
    engine::Containers containers(_client);
    SetupResult result;
    Created created;
    std::unique_ptr<EngineLock> lock;
    try
    {
        ensureImage(pull, registryAuth);
        // Serialize with other hoist processes changing this builder, wherever they run.
        lock = std::make_unique<EngineLock>(_client, _spec.containerName(), _spec.opts.image,
                                            _spec.session, _note);
        // The lease covers what happens under the lock (create, start, bootstrap; the pull is
        // done before): a setup killed outright holds up the next job that long at most.
        lock->acquire(Poco::Timespan(600, 0), bootstrapTimeout + Poco::Timespan(30, 0));
        std::string stateDir;
        SecurityMode mode = chooseMode(_spec.opts.image, stateDir);
        result.warmState = !engine::Volumes(_client).inspect(_spec.volumeName()).isNull();

        auto existing = containers.inspect(_spec.containerName());
        if (existing)
        {
            const std::string madeBy = label(existing, LABEL_BUILDER);
            const std::string security = label(existing, LABEL_SECURITY);
            SecurityMode existingMode = security == "capabilities" ? SecurityMode::Capabilities
                                        : security == "rootless"   ? SecurityMode::Rootless
                                                                   : mode;
            // A privileged request that fell back to capabilities matches that container.
            SecurityMode compareMode =
                (mode == SecurityMode::Privileged && existingMode == SecurityMode::Capabilities)
                    ? existingMode
                    : mode;
            if (!madeBy.empty() && label(existing, LABEL_CONFIG) != _spec.configDigest(compareMode))
            {
                _note(
                    "builder " + _spec.name +
                    " exists with another configuration; recreating it, keeping its state volume " +
                    _spec.volumeName());
                containers.remove(_spec.containerName(), true, true);
                result.action = "recreated";
                mode =
                    compareMode == SecurityMode::Capabilities ? SecurityMode::Capabilities : mode;
                createAndStart(mode, stateDir, created);
            }
            else if (isRunning(existing))
            {
                if (madeBy.empty())
                    _note("reusing " + _spec.containerName() +
                          ", which hoist did not make (docker buildx?); "
                          "its settings are kept as they are");
                result.action = "reused";
                mode = existingMode;
            }
            else
                result.action = startExisting(existing, existingMode, stateDir, created);
        }
        else
        {
            if (result.warmState)
                _note("reusing the kept state volume " + _spec.volumeName());
            createAndStart(mode, stateDir, created);
            result.action = "created";
        }
        waitReady(bootstrapTimeout, created.container);
        // A daemon that has just started runs no build: work dirs on the kept volume and
        // credentials in /tmp are leftovers of a hoist that was killed with its builder.
        if (result.action != "reused")
            cleanLeftovers();
        result.status = inspect();
        result.mode = result.status.security == "capabilities" ? SecurityMode::Capabilities
                      : result.status.security == "rootless"   ? SecurityMode::Rootless
                                                               : SecurityMode::Privileged;
        if (_store)
            _store->save(_spec, buildxEndpoint());
        return result;
    }
    catch (...)
    {
        // Leave nothing this call made behind; a kept volume that was there stays.
        base::Cancellation::Cleanup cleanup;
        try
        {
            if (created.container)
                containers.remove(_spec.containerName(), true, true);
            if (created.volume)
                engine::Volumes(_client).remove(_spec.volumeName(), true);
        }
        catch (const Poco::Exception& e)
        {
            base::Log::get("builder").warning("cleanup after a failed setup: %s", e.displayText());
        }
        throw;
    }
}

TeardownResult Builder::teardown(bool keepState, bool force, bool keepDaemon)
{
    TeardownResult result;
    if (keepDaemon)
    {
        if (_store)
            _store->remove(_spec.name);
        result.keptVolume = true;
        return result;
    }
    engine::Containers containers(_client);
    engine::Volumes volumes(_client);
    auto existing = containers.inspect(_spec.containerName());
    std::unique_ptr<EngineLock> lock;
    if (existing)
    {
        // The lock container needs an image the engine has: the builder's own.
        lock = std::make_unique<EngineLock>(_client, _spec.containerName(),
                                            existing->getValue<std::string>("Image"), _spec.session,
                                            _note);
        lock->acquire(Poco::Timespan(600, 0), Poco::Timespan(60, 0), force);
        existing = containers.inspect(_spec.containerName());
    }
    if (existing && !force && label(existing, LABEL_BUILDER).empty())
        throw base::UsageException(
            "refusing to remove " + _spec.containerName() +
            ": hoist did not make it (docker buildx?)\nhint: --force removes it anyway");
    // A builder belongs to whoever uses it: one whose maker is gone is anyone's to remove, one
    // that builds of other jobs still hold is left running for them.
    if (existing && !force && isRunning(existing) && (result.inUse = holds()) > 0)
        return result;
    if (existing)
    {
        // Cancelled, hoist has seconds before the CI kills it: buildkitd stops in well under
        // that once its builds are stopped.
        containers.stop(_spec.containerName(), base::Cancellation::requested() ? 2 : 10);
        result.removedContainer = containers.remove(_spec.containerName(), true, true);
    }
    if (!keepState)
        result.removedVolume = removeVolume();
    else if (volumes.inspect(_spec.volumeName()))
    {
        result.keptVolume = true;
        // The size is information only: the engine allows one disk-usage walk at a time.
        try
        {
            result.volumeSize = volumes.size(_spec.volumeName());
        }
        catch (const Poco::Exception& e)
        {
            base::Log::get("builder").debug("volume size unknown: %s", e.displayText());
        }
    }
    if (_store)
        _store->remove(_spec.name);
    return result;
}

BuilderStatus Builder::inspect()
{
    BuilderStatus s;
    s.name = _spec.name;
    s.container = _spec.containerName();
    s.volume = _spec.volumeName();
    engine::Volumes volumes(_client);
    s.volumeExists = !volumes.inspect(s.volume).isNull();
    auto c = engine::Containers(_client).inspect(s.container);
    if (!c)
        return s;
    s.status = isRunning(c) ? "running" : "stopped";
    auto config = c->getObject("Config");
    s.image = config ? config->optValue<std::string>("Image", "") : "";
    std::string version = label(c, LABEL_VERSION);
    s.createdBy =
        label(c, LABEL_BUILDER).empty() ? "not hoist (docker buildx?)" : "hoist " + version;
    s.session = label(c, LABEL_SESSION);
    s.driverOpts = label(c, LABEL_DRIVER_OPTS);
    s.security = label(c, LABEL_SECURITY);
    if (s.security.empty())
    {
        auto host = c->getObject("HostConfig");
        s.security =
            host && host->optValue<bool>("Privileged", false) ? "privileged" : "unprivileged";
    }
    if (s.status == "running")
        fillDaemonFacts(s);
    return s;
}

void Builder::copyIn(const std::string& dir, const std::function<void(std::ostream&)>& writeTar)
{
    engine::Archive(_client).put(_spec.containerName(), dir, writeTar);
}

bool Builder::copyOut(const std::string& path, std::ostream& out)
{
    try
    {
        engine::Archive(_client).get(_spec.containerName(), path, out);
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
    return engine::Images(_client).load(writeTar, nullptr);
}

std::string Builder::stateDir()
{
    auto c = engine::Containers(_client).inspect(_spec.containerName());
    auto mounts = c ? c->getArray("Mounts") : nullptr;
    for (std::size_t i = 0; mounts && i < mounts->size(); ++i)
    {
        auto m = mounts->getObject(static_cast<unsigned>(i));
        if (m->optValue<std::string>("Name", "") == _spec.volumeName())
            return m->optValue<std::string>("Destination", "");
    }
    return "";
}

bool Builder::running()
{
    return isRunning(engine::Containers(_client).inspect(_spec.containerName()));
}

int Builder::exec(const engine::ExecSpec& spec, std::istream* in,
                  const engine::FrameDemuxer::Sink& out)
{
    return engine::Exec(_client).run(_spec.containerName(), spec, in, out);
}

bool Builder::removeVolume()
{
    engine::Volumes volumes(_client);
    try
    {
        return volumes.remove(_spec.volumeName(), false);
    }
    catch (const engine::EngineApiException& e)
    {
        if (e.status() != 409)
            throw;
    }
    // In use: by a builder container that appeared after ours was removed (a killed setup's
    // create the engine finished on its own), which goes too; by anything else, kept.
    engine::Containers containers(_client);
    if (containers.inspect(_spec.containerName()))
        containers.remove(_spec.containerName(), true, true);
    try
    {
        return volumes.remove(_spec.volumeName(), false);
    }
    catch (const engine::EngineApiException& e)
    {
        throw base::UnavailableException("the state volume " + _spec.volumeName() +
                                         " is in use by another container: " + e.engineMessage() +
                                         "\nhint: remove that container, then the volume");
    }
}

Helper& Builder::helper()
{
    if (!_helper)
        _helper = std::make_unique<Helper>(_client, _spec.containerName());
    return *_helper;
}

std::unique_ptr<engine::HeldExec> Builder::hold(const std::vector<std::string>& stop,
                                                const std::vector<std::string>& remove)
{
    const std::string path = helper().path();
    if (path.empty())
        return nullptr;
    engine::ExecSpec spec;
    spec.cmd = Hold::argv(path, stop, remove);
    return std::make_unique<engine::HeldExec>(_client, _spec.containerName(), spec);
}

int Builder::holds()
{
    auto c = engine::Containers(_client).inspect(_spec.containerName());
    auto ids = c ? c->getArray("ExecIDs") : nullptr;
    int n = 0;
    for (std::size_t i = 0; ids && i < ids->size(); ++i)
    {
        try
        {
            auto e = engine::Exec(_client).inspect(
                ids->getElement<std::string>(static_cast<unsigned>(i)));
            auto process = e->getObject("ProcessConfig");
            auto args = process ? process->getArray("arguments") : nullptr;
            if (e->optValue<bool>("Running", false) && args && args->size() > 0 &&
                args->getElement<std::string>(0) == Hold::COMMAND)
                ++n;
        }
        catch (const engine::EngineApiException&)
        {
            // Gone meanwhile.
        }
    }
    return n;
}

void Builder::cleanLeftovers()
{
    const std::string state = stateDir();
    std::vector<std::string> leftovers = {"/tmp/hoist-build-*"};
    if (!state.empty())
        leftovers.push_back(state + "/hoist-build-*");
    engine::ExecSpec clean;
    const std::string path = helper().path();
    // Without the helper, the image's shell if it has one.
    clean.cmd = path.empty()
                    ? std::vector<std::string>{"sh", "-c", "rm -rf " + base::join(leftovers, " ")}
                    : Hold::argv(path, {}, leftovers);
    std::string out, err;
    if (engine::Exec(_client).capture(_spec.containerName(), clean, out, err) != 0)
        base::Log::get("builder").warning("cleaning leftovers in %s: %s", _spec.containerName(),
                                          err);
}

void Builder::makeCurrent()
{
    if (_store)
        _store->use(_spec.name, buildxEndpoint());
}

std::string Builder::buildxEndpoint() const
{
    const engine::Endpoint& e = _client.transport().endpoint();
    return e.buildxKey.empty() ? e.url() : e.buildxKey;
}

} // namespace hoist::builder
