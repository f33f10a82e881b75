// This file implements bringing a builder's container up: buildx's Bootstrap with hoist's
// additions — pull only when missing, fall back from privileged on engines that refuse it,
// reconcile a container found in a state it did not expect.

#include "builder/Builder.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/ConfigArchive.h"
#include "builder/ContainerConfig.h"
#include "builder/Labels.h"
#include "engine/EngineError.h"
#include "engine/Images.h"

#include <Poco/Format.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <map>

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

} // namespace

void Builder::ensureImage(PullPolicy pull, const std::string& registryAuth)
{
    const std::string& image = _spec.opts.image;
    const bool present = _engine.inspectImage(image).has_value();
    if (present && pull != PullPolicy::Always)
        return;
    if (!present && pull == PullPolicy::Never)
        throw base::UsageException("the BuildKit image " + base::quoted(image) +
                                   " is not on the engine and " + _hints.pullNever +
                                   " forbids pulling it\nhint: pull or load it first, or use " +
                                   _hints.pullMissing);
    _note("pulling image " + image);
    // Each layer's bytes, for the live view: downloaded of total.
    std::map<std::string, std::pair<long long, long long>> layers;
    const auto progress = [&](const engine::JsonMessage& m)
    {
        if (m.id.empty() || m.total <= 0)
            return;
        layers[m.id] = {m.current, m.total};
        long long got = 0, all = 0;
        for (const auto& [id, bytes] : layers)
            got += bytes.first, all += bytes.second;
        _phase(Poco::format("pulling image %s: %.1f of %.1f MiB", image, got / 1048576.0,
                            all / 1048576.0),
               true);
    };
    try
    {
        _engine.pullImage(image, registryAuth,
                          _phase ? engine::Images::Progress(progress) : engine::Images::Progress());
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
            "pass it with " +
            _hints.otherImage);
    }
}

SecurityMode Builder::chooseMode(const std::string& image, std::string& stateDir)
{
    auto info = _engine.inspectImage(image);
    const std::string user = info ? info->user : "";
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
    const engine::SystemInfo info = _engine.info();
    if (mode == SecurityMode::Privileged && _memory && _memory->refusesPrivileged(info) == true)
    {
        _note("this engine refuses privileged containers (learnt before; hoist doctor checks "
              "again): using the capability fallback");
        mode = SecurityMode::Capabilities;
    }
    EngineFacts facts;
    facts.cgroupDriver = info.cgroupDriver;
    facts.userns = info.userns();
    if (!_engine.inspectVolume(_spec.volumeName()))
    {
        _engine.createVolume(_spec.volumeName(), ContainerConfig::volumeLabels(_spec, mode));
        created.volume = true;
    }
    for (;;)
    {
        const engine::ContainerCreate body = ContainerConfig::build(_spec, mode, facts, stateDir);
        _note("creating container " + _spec.containerName() + " (" +
              engine::securityModeName(mode) + ")");
        try
        {
            _engine.createContainer(_spec.containerName(), body);
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
        if (!fillVolume(stateDir, created))
        {
            _engine.createVolume(_spec.volumeName(), ContainerConfig::volumeLabels(_spec, mode));
            created.volume = true;
            continue;
        }
        const auto files = _spec.files();
        if (!files.empty())
            _engine.putArchive(_spec.containerName(), "/etc",
                               [&](std::ostream& out) { ConfigArchive::write(out, files); });
        const bool started = startOrFallBack(mode);
        if (mode == SecurityMode::Privileged && _memory)
            _memory->rememberPrivileged(info, !started);
        if (started)
            return;
        created.container = false;
        mode = SecurityMode::Capabilities;
    }
}

bool Builder::startOrFallBack(SecurityMode mode)
{
    try
    {
        _engine.startContainer(_spec.containerName());
        return true;
    }
    catch (const engine::EngineApiException& e)
    {
        if (mode != SecurityMode::Privileged || !engine::isCapabilityRefusal(e.engineMessage()))
            throw;
        _note("the engine refuses privileged containers (" + e.engineMessage() +
              "); using the capability fallback instead (see hoist doctor)");
        _engine.removeContainer(_spec.containerName());
        return false;
    }
}

SetupAction Builder::startExisting(const engine::ContainerInfo& existing, SecurityMode mode,
                                   const std::string& stateDir, Created& created)
{
    const bool ours = !existing.label(LABEL_BUILDER).empty();
    // Never started (a setup killed between create and start), or dead: nothing in it to keep.
    if (ours && (existing.state == engine::ContainerState::Created ||
                 existing.state == engine::ContainerState::Dead))
    {
        _note("found " + _spec.containerName() + " " +
              (existing.state == engine::ContainerState::Dead ? "dead" : "created") +
              " (a setup that was killed?); recreating it, keeping its state volume");
        _engine.removeContainer(_spec.containerName());
        createAndStart(mode, stateDir, created);
        return SetupAction::Recreated;
    }
    _note("starting " + _spec.containerName());
    try
    {
        _engine.startContainer(_spec.containerName());
        return SetupAction::Started;
    }
    catch (const engine::EngineApiException& e)
    {
        // A privileged container this engine cannot start: made where it could, or left by a
        // setup killed before its fallback. Made anew, it falls back.
        if (!ours || !engine::isCapabilityRefusal(e.engineMessage()))
            throw;
        _note(_spec.containerName() + " cannot start here (" + e.engineMessage() +
              "); recreating it, keeping its state volume");
        _engine.removeContainer(_spec.containerName());
        createAndStart(mode == SecurityMode::Capabilities ? SecurityMode::Privileged : mode,
                       stateDir, created);
        return SetupAction::Recreated;
    }
}

bool Builder::probeReady(bool ownContainer, bool& restarted, std::string& lastErr)
{
    engine::ExecSpec probe;
    probe.cmd = {"buildctl", "debug", "workers"};
    std::string out;
    try
    {
        lastErr.clear();
        if (_engine.capture(_spec.containerName(), probe, out, lastErr) != 0)
            return false;
        _facts.workers = out;
        return true;
    }
    catch (const engine::EngineApiException& e)
    {
        // 409: not running; 404: gone. Another process may be recreating a container it
        // made, so only a container of our own that crashed ends the wait early.
        if (e.status() != 409 && e.status() != 404)
            throw;
        lastErr = e.engineMessage();
    }
    auto c = _engine.inspectContainer(_spec.containerName());
    const bool exited = c && c->state == engine::ContainerState::Exited;
    // Stopped under us (another job's teardown of a builder it was stopping): start it once
    // more rather than wait out the timeout; stopped again, it is not coming.
    if (exited && !restarted)
    {
        _note(_spec.containerName() + " stopped while it was being set up; starting it");
        restarted = true;
        _engine.startContainer(_spec.containerName());
        return false;
    }
    if ((ownContainer || restarted) && (exited || (c && c->restartCount > 0)))
        throw base::UnavailableException(""); // crashed: say why below
    return false;
}

std::string Builder::socketPath(SecurityMode mode) const
{
    for (const auto& flag : _spec.flags)
    {
        if (base::startsWith(flag, "--addr"))
            return ""; // listens elsewhere: buildctl is asked
    }
    return mode == SecurityMode::Rootless ? "/run/user/1000/buildkit/buildkitd.sock"
                                          : "/run/buildkit/buildkitd.sock";
}

void Builder::waitReady(Poco::Timespan timeout, bool ownContainer, const std::string& socket,
                        const std::function<void()>& whileBooting)
{
    Poco::Timestamp started;
    std::string lastErr;
    bool restarted = false;
    bool booted = false; // whileBooting has run
    try
    {
        for (int attempt = 1; !started.isElapsed(timeout.totalMicroseconds()); ++attempt)
        {
            base::Cancellation::check();
            // A stat of buildkitd's socket costs a millisecond, a probe a process in the
            // container: probe once the socket is there, and now and then to see a crash.
            const bool listening = socket.empty() || attempt % 25 == 0 ||
                                   _engine.statPath(_spec.containerName(), socket).has_value();
            if (listening && probeReady(ownContainer, restarted, lastErr))
            {
                if (!booted)
                    whileBooting();
                return;
            }
            if (!booted)
            {
                // buildkitd boots meanwhile. A container not running yet is asked again.
                try
                {
                    whileBooting();
                    booted = true;
                    continue;
                }
                catch (const engine::EngineApiException&)
                {
                }
            }
            // buildkitd is usually ready within a second: poll closely until then.
            Poco::Thread::sleep(started.isElapsed(3000000) ? 500 : (listening ? 40 : 20));
        }
    }
    catch (const base::UnavailableException&)
    {
    }
    std::string logs;
    try
    {
        logs = logExcerpt(_engine.containerLogs(_spec.containerName(), 200));
    }
    catch (const Poco::Exception&)
    {
    }
    throw base::UnavailableException("BuildKit in " + _spec.containerName() +
                                     " did not become ready within " +
                                     std::to_string(timeout.totalSeconds()) +
                                     "s: " + base::join(base::splitTrimmed(lastErr, '\n'), "; ") +
                                     (logs.empty() ? "" : "\nthe container's log says:\n" + logs) +
                                     "\nhint: hoist doctor checks what the engine allows; " +
                                     _hints.bootstrapTimeout + " gives it longer");
}

void Builder::recordVersion()
{
    engine::ExecSpec spec;
    spec.cmd = {"buildkitd", "--version"};
    std::string out, err;
    if (_engine.capture(_spec.containerName(), spec, out, err) == 0)
        _facts.version = out;
}

void Builder::fillDaemonFacts(BuilderStatus& status)
{
    engine::ExecSpec spec;
    std::string out = _facts.workers, err;
    spec.cmd = {"buildctl", "debug", "workers"};
    if (!out.empty() || _engine.capture(_spec.containerName(), spec, out, err) == 0)
        status.platforms = parseWorkerPlatforms(out);
    out = _facts.version;
    spec.cmd = {"buildkitd", "--version"};
    if (!out.empty() || _engine.capture(_spec.containerName(), spec, out, err) == 0)
        status.buildkitVersion = parseBuildkitVersion(out);
    _facts = {}; // asked again next time: the container may change
}

} // namespace hoist::builder
