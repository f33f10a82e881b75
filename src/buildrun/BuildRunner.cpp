// This file implements one build run inside the builder container (docs/architecture.md, "How
// data flows"): holding the builder, running buildctl through the helper, loading a docker or
// oci stream into the engine, and letting go on every path.

#include "buildrun/BuildRunner.h"

#include "base/BytePipe.h"
#include "base/Cancellation.h"
#include "base/Files.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "builder/Helper.h"
#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "buildrun/BuildOutputs.h"
#include "buildrun/BuildVerdict.h"
#include "buildrun/BuildctlArgs.h"

#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>

#include <thread>

namespace hoist::buildrun
{

BuildRunner::BuildRunner(builder::BuildChannel& channel, BuildRequest request, ContextTar context,
                         std::string authConfig)
    : _channel(channel),
      _request(std::move(request)),
      _context(std::move(context)),
      _files(_request, _context, std::move(authConfig))
{
}

void BuildRunner::setUploadProgress(UploadProgress progress)
{
    _files.setUploadProgress(std::move(progress));
}

void BuildRunner::setMirrorManifests(const std::string& dir)
{
    _manifests = MirrorManifests(dir);
}

base::UsageException BuildRunner::helperNeeded(const std::string& what)
{
    return base::UsageException(
        what +
        " reaches buildctl only through hoist's helper in the builder, which cannot run "
        "there (the builder's CPU is not this binary's)\nhint: build on an engine whose "
        "CPU is " +
        builder::Helper::ownArch() + ", with the hoist of that architecture");
}

void BuildRunner::endBuild(builder::Lease* hold, const BuildDirs& dirs)
{
    auto& log = base::Log::get("build");
    try
    {
        if (hold)
        {
            // The helper stops buildctl if it still runs (a cancelled build) and removes the
            // work dir and credentials; its end is the proof.
            if (!hold->releaseAndWait(Poco::Timespan(10, 0)))
                log.warning("the build's helper in the builder has not ended after 10s: "
                            "buildctl may still run there");
            return;
        }
        // No helper (the builder runs another CPU than this hoist): the image's tools.
        auto quiet = [](int, const char*, std::size_t) {};
        engine::ExecSpec stop;
        stop.cmd = {"pkill", "-f", BuildctlArgs::metadataFile(dirs.work)};
        _channel.exec(stop, nullptr, quiet);
        engine::ExecSpec remove;
        remove.cmd = {"rm", "-rf", dirs.work, dirs.config};
        _channel.exec(remove, nullptr, quiet);
    }
    catch (const Poco::Exception& e)
    {
        log.warning("cleaning %s in the builder: %s", dirs.work, e.displayText());
    }
}

int BuildRunner::runBuildctl(const BuildDirs& dirs, bool streamed,
                             const engine::FrameDemuxer::Sink& sink)
{
    engine::ExecSpec spec;
    spec.cmd = BuildctlArgs::argv(_request, dirs.work, SecretPassing::MemoryFiles, dirs.inputs,
                                  dirs.context);
    spec.env = BuildctlArgs::env(_request, dirs.config);
    base::Log::get("build").debug("exec %s", base::join(spec.cmd, " "));
    std::vector<std::string> files; // the secrets, then the ssh keys, in memory
    for (const auto& s : _request.secrets)
        files.push_back(s.value);
    for (const auto& ssh : _request.ssh)
        files.insert(files.end(), ssh.keys.begin(), ssh.keys.end());
    // The agents' relays live as long as buildctl runs.
    std::vector<std::unique_ptr<builder::Lease>> relays;
    for (std::size_t i = 0; i < _request.ssh.size(); ++i)
    {
        if (_request.ssh[i].agentSocket.empty())
            continue;
        relays.push_back(
            _channel.relay(_request.ssh[i].agentSocket, BuildctlArgs::sshSocket(dirs.work, i)));
        if (!relays.back())
            throw helperNeeded("the ssh agent forwarded as " + _request.ssh[i].id);
    }
    if (streamed)
    {
        // The build's files travel on buildctl's own exec, unpacked by the helper before it
        // starts buildctl: one exec, no archive request. The directories are listed once: the
        // helper's argv and the stream must agree.
        const BuildFiles::LocalDirs local = _files.localDirs(dirs.work);
        if (auto rc =
                _channel.execWithFiles(spec, files, sink, _files.unpackDirs(dirs, local),
                                       [&](std::ostream& out) { _files.writeTars(out, local); }))
            return *rc;
        // The helper went away meanwhile: the engine's archive PUT, which cannot reach the
        // builder's /dev/shm, into the work directory, the context whole.
        _files.dropMirror();
        const BuildDirs put{dirs.work, dirs.work, dirs.config, ""};
        spec.cmd = BuildctlArgs::argv(_request, put.work, SecretPassing::MemoryFiles, put.inputs);
        _files.upload(_channel, put);
    }
    if (files.empty())
        return _channel.exec(spec, nullptr, sink);
    if (auto rc = _channel.execWithFiles(spec, files, sink))
        return *rc;
    return withoutHelper(spec, dirs, sink);
}

int BuildRunner::withoutHelper(engine::ExecSpec spec, const BuildDirs& dirs,
                               const engine::FrameDemuxer::Sink& sink)
{
    // No helper (the builder runs another CPU than this hoist): the environment, which holds
    // text of a limited size only.
    for (const auto& ssh : _request.ssh)
    {
        if (!ssh.keys.empty())
            throw helperNeeded("the ssh keys forwarded as " + ssh.id);
    }
    for (const auto& s : _request.secrets)
    {
        if (s.value.size() > 64 * 1024 || s.value.find('\0') != std::string::npos)
            throw helperNeeded("the secret " + s.id + ", binary or over 64 KiB,");
    }
    spec.cmd = BuildctlArgs::argv(_request, dirs.work, SecretPassing::Environment, dirs.work);
    spec.env = BuildctlArgs::env(_request, dirs.config, SecretPassing::Environment);
    return _channel.exec(spec, nullptr, sink);
}

int BuildRunner::buildctl(const BuildDirs& dirs, bool streamed, Progress& progress,
                          BuildSummary& summary)
{
    // A docker or oci stream with no destination of its own goes to the engine's image load.
    bool load = false;
    for (const auto& o : _request.outputs)
        load = load ||
               ((o.type == OutputType::Docker || o.type == OutputType::Oci) && o.hostDest.empty());
    base::BytePipe pipe;
    std::thread loader;
    std::string loadError;
    if (load)
        loader = std::thread(
            [&]
            {
                try
                {
                    summary.loaded = _channel.loadImages(
                        [&](std::ostream& body)
                        { Poco::StreamCopier::copyStream(pipe.reader(), body, 64 * 1024); });
                }
                catch (const Poco::Exception& e)
                {
                    loadError = e.displayText();
                }
            });
    auto joinLoader = [&]
    {
        pipe.closeWrite();
        if (loader.joinable())
            loader.join();
    };
    const engine::FrameDemuxer::Sink sink = [&](int stream, const char* data, std::size_t size)
    {
        if (stream == 2)
            progress.feed(data, size);
        else if (load)
            pipe.write(data, size);
        else if (!_request.call.empty() && summary.callResult.size() < 4 * 1024 * 1024)
            summary.callResult.append(data, size); // the request's answer, e.g. the checks'
    };
    int rc;
    try
    {
        rc = runBuildctl(dirs, streamed, sink);
    }
    catch (...)
    {
        joinLoader();
        throw;
    }
    joinLoader();
    if (rc == 0 && !loadError.empty())
        throw base::UnavailableException("loading the image into the engine failed: " + loadError);
    return rc;
}

void BuildRunner::judge(int rc, bool streamed, Progress& progress, BuildSummary& summary) const
{
    progress.finish();
    countSteps(progress.steps(), progress.warnings(), summary);
    BuildVerdict::Dockerfile dockerfile{_request.dockerfileName, ""};
    if (rc != 0 && !_request.dockerfileDir.empty()) // else in a remote context
        dockerfile.text =
            base::readFileIfExists(_request.dockerfileDir + "/" + _request.dockerfileName)
                .value_or("");
    BuildVerdict::of(rc, streamed, summary.failed, progress.messages(), dockerfile).throwIfFailed();
}

void BuildRunner::confirmParses(const BuildDirs& dirs, const Progress::Sink& onStep)
{
    // buildctl answers a check whose Dockerfile does not parse with nothing at all, as if
    // clean: the outline request fails with the parse error instead.
    const std::string call = _request.call;
    _request.call = "outline";
    try
    {
        Progress progress(onStep);
        BuildSummary probe;
        const int rc = buildctl(dirs, false, progress, probe); // the files are there
        judge(rc, false, progress, probe);
    }
    catch (...)
    {
        _request.call = call;
        throw;
    }
    _request.call = call;
}

int BuildRunner::attempt(const BuildDirs& dirs, bool streamed, BuildSummary& summary,
                         ReportedFiles& reported, const Progress::Sink& onStep,
                         const std::string& identity)
{
    // What this machine keeps of the mirror goes before the mirror may change, and comes back
    // once the helper has changed it.
    const std::string mirror = _files.mirror();
    if (!mirror.empty())
        _manifests.forget(identity, mirror);
    Progress progress(onStep);
    const int rc = buildctl(dirs, streamed, progress, summary);
    reported = progress.reported();
    if (mirrorRefused(rc))
        return rc;
    // Not kept when the change did not reach the mirror: the helper went away before it (the
    // context went whole, see runBuildctl) or could not unpack.
    if (!_files.mirror().empty() && rc != builder::MemoryFiles::UNPACK_FAILED)
        _manifests.keep(identity, mirror, _files.mirrorManifest());
    judge(rc, streamed, progress, summary);
    return rc;
}

bool BuildRunner::mirrorRefused(int rc) const
{
    return !_files.mirror().empty() &&
           (rc == builder::Mirror::BUSY || rc == builder::Mirror::STALE);
}

std::string BuildRunner::mirrorIdentity(bool inMemory)
{
    // What this machine keeps of a mirror is keyed by what the mirror lives as long as: the
    // container for one in memory, the state volume for one there. A volume hoist did not make
    // has no identity of its own, but none can replace it while the container mounts it.
    const std::string volume = inMemory ? "" : _channel.stateIdentity();
    return volume.empty() ? _channel.identity() : volume;
}

std::string BuildRunner::pickMirror(const std::string& root, const std::string& identity)
{
    // A small context's mirror is in the builder's memory, a larger one on the state volume.
    const std::string mirror =
        builder::Mirror::in(root, BuildctlArgs::syncKey(_request.nodeId, _request.contextDir));
    auto known = _manifests.find(identity, mirror);
    if (root == builder::Mirror::MEMORY_ROOT)
    {
        // A mirror in memory goes with its container: where this machine kept no manifest of
        // it, it is most likely not there (an empty manifest; the helper's check tells when it
        // is). Without manifests kept here, a listing would cost what the mirror saves.
        if (!_manifests.keeps(identity))
            return "";
        if (!known)
        {
            base::Log::get("build").debug(
                "the context's mirror %s: no manifest kept here for this container: none there",
                mirror);
            known = "";
        }
    }
    if ((known && _files.useMirror(_channel, mirror, known)) || _files.useMirror(_channel, mirror))
        return _files.mirror();
    return "";
}

BuildSummary BuildRunner::run(const Progress::Sink& onStep)
{
    // The work directory lives on the state volume (outputs and local caches may be large);
    // the registry credentials stay in the container's /tmp, which never outlives the builder.
    // A small context goes to the builder's /dev/shm when the helper unpacks it.
    const std::string id = base::randomHex(16);
    const std::string stateDir = _channel.stateDir();
    BuildDirs dirs;
    dirs.work = (stateDir.empty() ? std::string("/tmp") : stateDir) + "/hoist-build-" + id;
    dirs.config = "/tmp/hoist-build-" + id;
    const std::string shm = builder::BuildChannel::SHM_DIR + std::string("/hoist-build-") + id;
    // Keys BuildKit's copies apart where its file sync could not tell a change (files with
    // whole-second mtimes, rewritten with the same size).
    _request.wholeSecondDigests = _files.wholeSecondDigests();
    BuildSummary summary;
    summary.contextBytes = _context.bytes();
    summary.contextFiles = _context.files();
    Poco::Timestamp started;
    // Held from before the upload to after the download: teardown leaves the builder to this
    // build, and whatever ends this process, buildctl is stopped and the files removed.
    std::unique_ptr<builder::Lease> hold =
        _channel.hold({BuildctlArgs::metadataFile(dirs.work)}, {dirs.work, dirs.config, shm});
    try
    {
        // With the helper there, the files go with buildctl's exec (runBuildctl).
        const bool streamed = hold != nullptr;
        dirs.inputs = streamed && _files.inputsInMemory() ? shm : dirs.work;
        if (!streamed)
            _files.upload(_channel, dirs);
        // Where the helper can keep one, the context has a mirror in the builder: only what
        // changed since the last build of it goes.
        const bool inMemory = dirs.inputs == shm;
        const bool mirrored =
            streamed && _request.remoteContext.empty() && (inMemory || !stateDir.empty());
        const std::string identity = mirrored ? mirrorIdentity(inMemory) : "";
        if (mirrored)
            dirs.context = pickMirror(inMemory ? builder::Mirror::MEMORY_ROOT : stateDir, identity);
        ReportedFiles reported;
        int rc = attempt(dirs, streamed, summary, reported, onStep, identity);
        // The manifest this machine kept is not the mirror's (a build cut short, another
        // machine's): the mirror's own listing tells the difference.
        const std::string mirror = _files.mirror();
        if (rc == builder::Mirror::STALE && _files.mirrorKnown() &&
            _files.useMirror(_channel, mirror))
            rc = attempt(dirs, streamed, summary, reported, onStep, identity);
        if (mirrorRefused(rc))
        {
            // Another build of this context holds its mirror, or changed it since it was
            // listed: this one sends its context whole, as if there were none.
            _files.dropMirror();
            dirs.context.clear();
            rc = attempt(dirs, streamed, summary, reported, onStep, identity);
        }
        const auto [sentFiles, sentBytes] = _files.sent();
        summary.contextBytes = sentBytes;
        summary.contextChanged = _files.mirror().empty() ? -1 : static_cast<long>(sentFiles);
        if (_request.call == "lint" && summary.callWarnings == 0)
            confirmParses(dirs, onStep);
        BuildOutputs::download(_channel, _request, dirs.work, reported, summary);
    }
    catch (...)
    {
        base::Cancellation::Cleanup cleanup;
        endBuild(hold.get(), dirs);
        throw;
    }
    endBuild(hold.get(), dirs);
    summary.seconds = started.elapsed() / 1e6;
    return summary;
}

} // namespace hoist::buildrun
