// This file implements one build run inside the builder container (DESIGN.md, "The build runs
// through buildctl inside the builder container").

#include "buildrun/BuildRunner.h"

#include "base/AtomicFile.h"
#include "base/BytePipe.h"
#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "base/TarExtractor.h"
#include "base/TarReader.h"
#include "base/TarWriter.h"
#include "builder/Helper.h"
#include "builder/MemoryFiles.h"
#include "buildrun/BuildctlArgs.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

namespace hoist::buildrun
{

namespace
{

// A tar of one directory's files (for local caches and the Dockerfile directory).
void tarDirectory(std::ostream& out, const std::string& dir,
                  const std::vector<std::string>& only = {})
{
    DockerIgnore none;
    std::vector<std::string> problems;
    if (only.empty())
    {
        ContextTar::scan(dir, none, problems).write(out, "");
        return;
    }
    base::TarWriter tar(out);
    for (const auto& name : only)
    {
        const std::string path = dir + "/" + name;
        if (!Poco::File(path).exists())
            continue;
        std::ifstream in(path, std::ios::binary);
        base::TarWriter::Entry e;
        e.name = name;
        tar.addFile(e, Poco::File(path).getSize(), in);
    }
    tar.finish();
}

// Copies path out of the builder into onTar's reader while it is fetched, so a large result
// never sits in memory. Returns false when path does not exist.
bool streamOut(builder::Builder& b, const std::string& path,
               const std::function<void(std::istream&)>& onTar)
{
    base::BytePipe pipe;
    std::string error;
    std::thread reader(
        [&]
        {
            try
            {
                onTar(pipe.reader());
            }
            catch (const Poco::Exception& e)
            {
                error = e.message();
            }
            // Drain whatever is left so the writer never blocks on a reader that gave up.
            pipe.reader().ignore(std::numeric_limits<std::streamsize>::max());
        });
    bool found = false;
    try
    {
        found = b.copyOut(path, pipe.writer());
    }
    catch (...)
    {
        pipe.closeWrite();
        reader.join();
        throw;
    }
    pipe.closeWrite();
    reader.join();
    if (!error.empty())
        throw Poco::WriteFileException(error);
    return found;
}

// A failure worth rerunning as it is: a network timeout while exporting or pushing, not a
// step of the user's build.
bool temporary(const std::vector<BuildStep>& failed, const std::vector<std::string>& messages)
{
    static const char* TIMEOUTS[] = {"i/o timeout", "deadline exceeded", "TLS handshake timeout",
                                     "connection reset by peer", "unexpected EOF"};
    auto timedOut = [](const std::string& text)
    {
        for (const char* t : TIMEOUTS)
        {
            if (text.find(t) != std::string::npos)
                return true;
        }
        return false;
    };
    for (const auto& f : failed)
    {
        const bool exporting = base::startsWith(f.name, "exporting") ||
                               base::startsWith(f.name, "pushing") ||
                               f.error.find("push") != std::string::npos;
        if (!exporting || !timedOut(f.error))
            return false;
    }
    if (!failed.empty())
        return true;
    for (const auto& m : messages)
    {
        if (m.find("push") != std::string::npos && timedOut(m))
            return true;
    }
    return false;
}

} // namespace

BuildRunner::BuildRunner(builder::Builder& builder, BuildRequest request, ContextTar context,
                         std::string authConfig)
    : _builder(builder),
      _request(std::move(request)),
      _context(std::move(context)),
      _authConfig(std::move(authConfig))
{
}

std::string BuildRunner::dockerfileLine(const std::string& stepName) const
{
    if (_request.dockerfileDir.empty()) // in a remote context: not on this machine
        return "";
    // "[linux/arm64 2/3] RUN make" → "RUN make", then the first Dockerfile line that starts so.
    std::string instruction = stepName;
    auto close = instruction.find("] ");
    if (!instruction.empty() && instruction[0] == '[' && close != std::string::npos)
        instruction = instruction.substr(close + 2);
    const std::string probe = instruction.substr(0, 40);
    std::ifstream in(_request.dockerfileDir + "/" + _request.dockerfileName);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
    {
        auto start = line.find_first_not_of(" \t");
        if (start != std::string::npos && !probe.empty() &&
            line.compare(start, probe.size(), probe) == 0)
            return _request.dockerfileName + ":" + std::to_string(n) + ": ";
    }
    return "";
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

int BuildRunner::exec(const std::vector<std::string>& cmd, const std::vector<std::string>& env,
                      std::string* out)
{
    engine::ExecSpec spec;
    spec.cmd = cmd;
    spec.env = env;
    std::string ignored;
    return _builder.exec(spec, nullptr,
                         [&](int stream, const char* data, std::size_t size)
                         {
                             if (stream == 1 && out)
                                 out->append(data, size);
                             else
                                 ignored.append(data, std::min<std::size_t>(size, 4096));
                         });
}

void BuildRunner::addDockerfile(base::TarWriter& tar, const std::string& dir) const
{
    if (_request.dockerfileDir.empty()) // in a remote context
        return;
    for (const std::string& name :
         {_request.dockerfileName, _request.dockerfileName + ".dockerignore"})
    {
        const std::string path = _request.dockerfileDir + "/" + name;
        if (!Poco::File(path).exists())
            continue;
        std::ifstream in(path, std::ios::binary);
        base::TarWriter::Entry e;
        e.name = dir + name;
        tar.addFile(e, Poco::File(path).getSize(), in);
    }
}

namespace
{

// Passes what is written on to another stream, counting it and telling the count now and then.
class CountingBuf : public std::streambuf
{
public:
    CountingBuf(std::ostream& to, const BuildRunner::UploadProgress& tell) : _to(to), _tell(tell) {}

    std::uint64_t count() const { return _count; }

protected:
    std::streamsize xsputn(const char* data, std::streamsize size) override
    {
        const std::streamsize n = _to.rdbuf()->sputn(data, size);
        _count += static_cast<std::uint64_t>(n > 0 ? n : 0);
        if (_tell && _last.isElapsed(100000))
        {
            _last.update();
            _tell(_count, false);
        }
        return n;
    }

    int_type overflow(int_type c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }

    int sync() override { return _to.rdbuf()->pubsync(); }

private:
    std::ostream& _to;
    const BuildRunner::UploadProgress& _tell;
    std::uint64_t _count = 0;
    Poco::Timestamp _last;
};

} // namespace

void BuildRunner::setUploadProgress(UploadProgress progress)
{
    _uploadProgress = std::move(progress);
}

namespace
{

void dirEntry(base::TarWriter& tar, const std::string& name)
{
    base::TarWriter::Entry e;
    e.name = name;
    e.mode = 0700;
    tar.addDirectory(e);
}

} // namespace

void BuildRunner::writeWorkDir(base::TarWriter& tar, const std::string& prefix) const
{
    if (_request.remoteContext.empty())
    {
        base::TarWriter::Entry policy;
        policy.name = prefix + "source-policy.json";
        policy.mode = 0600;
        tar.addFile(policy, BuildctlArgs::sourcePolicy(_request));
    }
    for (std::size_t i = 0; i < _request.namedContexts.size(); ++i)
        dirEntry(tar, prefix + "ctx" + std::to_string(i));
    for (std::size_t i = 0; i < _request.cacheFrom.size(); ++i)
        dirEntry(tar, prefix + "cache-from-" + std::to_string(i));
    for (std::size_t i = 0; i < _request.cacheTo.size(); ++i)
        dirEntry(tar, prefix + "cache-to-" + std::to_string(i));
    for (std::size_t i = 0; i < _request.outputs.size(); ++i)
        dirEntry(tar, prefix + "out-" + std::to_string(i));
}

void BuildRunner::writeInputs(base::TarWriter& tar, const std::string& prefix) const
{
    for (const char* d : {"context", "dockerfile"})
        dirEntry(tar, prefix + d);
    _context.writeEntries(tar, prefix + "context/");
    addDockerfile(tar, prefix + "dockerfile/");
}

void BuildRunner::writeTars(std::ostream& raw, const LocalDirs& dirs)
{
    // The credentials' directory, the work directory, the inputs' directory, then localDirs
    // (see unpackDirs()).
    CountingBuf counting(raw, _uploadProgress);
    std::ostream out(&counting);
    base::TarWriter config(out);
    base::TarWriter::Entry cfg;
    cfg.name = "config.json";
    cfg.mode = 0600;
    config.addFile(cfg, _authConfig);
    config.finish();
    base::TarWriter work(out);
    writeWorkDir(work, "");
    work.finish();
    base::TarWriter inputs(out);
    writeInputs(inputs, "");
    inputs.finish();
    if (_uploadProgress)
        _uploadProgress(counting.count(), true);
    for (const auto& dir : dirs)
        tarDirectory(raw, dir.second);
}

std::vector<std::string> BuildRunner::unpackDirs(const std::string& w, const LocalDirs& dirs) const
{
    std::vector<std::string> all = {_configDir, w, _inputDir};
    for (const auto& dir : dirs)
        all.push_back(dir.first);
    return all;
}

void BuildRunner::upload(const std::string& w)
{
    // One archive PUT extracted at the container's root: the engine refuses a symlink that
    // leaves the directory it extracts into, and a context may hold links that leave it by
    // any number of levels (buildx sends them as they are). The engine creates the
    // directories the tar names.
    const std::string prefix = w.substr(1) + "/";
    std::uint64_t sent = 0;
    _builder.copyIn("/",
                    [&](std::ostream& raw)
                    {
                        CountingBuf counting(raw, _uploadProgress);
                        std::ostream out(&counting);
                        base::TarWriter tar(out);
                        const std::string configDir = _configDir.substr(1);
                        dirEntry(tar, configDir);
                        base::TarWriter::Entry cfg;
                        cfg.name = configDir + "/config.json";
                        cfg.mode = 0600;
                        tar.addFile(cfg, _authConfig);
                        dirEntry(tar, w.substr(1));
                        writeWorkDir(tar, prefix);
                        writeInputs(tar, prefix); // _inputDir is w without the helper
                        tar.finish();
                        out.flush();
                        sent = counting.count();
                    });
    if (_uploadProgress)
        _uploadProgress(sent, true);
    // Named contexts and local caches are directories of their own: one PUT each.
    for (const auto& [inBuilder, here] : localDirs(w))
        _builder.copyIn(inBuilder, [&](std::ostream& out) { tarDirectory(out, here); });
}

BuildRunner::LocalDirs BuildRunner::localDirs(const std::string& w) const
{
    LocalDirs dirs;
    for (std::size_t i = 0; i < _request.namedContexts.size(); ++i)
    {
        const std::string& value = _request.namedContexts[i].second;
        if (isLocalDir(value))
            dirs.emplace_back(w + "/ctx" + std::to_string(i), value);
    }
    for (std::size_t i = 0; i < _request.cacheFrom.size(); ++i)
    {
        const auto& c = _request.cacheFrom[i];
        if (c.type == CacheType::Local && Poco::File(c.hostDest).exists())
            dirs.emplace_back(w + "/cache-from-" + std::to_string(i), c.hostDest);
    }
    return dirs;
}

void BuildRunner::download(const std::string& w, BuildSummary& summary)
{
    // buildctl writes no metadata when no exporter answered (a cache-only build).
    std::stringstream meta;
    if (_builder.copyOut(w + "/metadata.json", meta))
        summary.metadata = base::TarReader::firstFile(meta);
    try
    {
        auto m = Poco::JSON::Parser().parse(summary.metadata).extract<Poco::JSON::Object::Ptr>();
        summary.digest = m->optValue<std::string>("containerimage.digest", "");
        summary.imageId = m->optValue<std::string>("containerimage.config.digest", "");
        summary.imageName = m->optValue<std::string>("image.name", "");
    }
    catch (const Poco::Exception&)
    {
    }
    for (std::size_t i = 0; i < _request.outputs.size(); ++i)
    {
        const Output& o = _request.outputs[i];
        const std::string remote = BuildctlArgs::remoteDest(o, i, w);
        if (remote.empty() || o.hostDest.empty())
            continue;
        if (o.type == OutputType::Local)
        {
            // "dir/." makes the engine's tar hold the directory's content, not the directory.
            streamOut(_builder, remote + "/.",
                      [&](std::istream& in) { base::TarExtractor(o.hostDest).extract(in); });
            continue;
        }
        // A tar, oci or docker file: complete or not there at all.
        base::AtomicFile file(o.hostDest);
        streamOut(_builder, remote,
                  [&](std::istream& in)
                  {
                      base::TarReader::read(in,
                                            [&](base::TarReader::Entry& e)
                                            {
                                                if (e.type == '0')
                                                    file.copyFrom(*e.data);
                                            });
                  });
        file.commit();
    }
    for (std::size_t i = 0; i < _request.cacheTo.size(); ++i)
    {
        const auto& c = _request.cacheTo[i];
        if (c.type != CacheType::Local)
            continue;
        // index.json last: a cache export that fails half-way leaves the previous index, whose
        // blobs are all still there, never one naming blobs that were not written.
        streamOut(_builder, w + "/cache-to-" + std::to_string(i) + "/.",
                  [&](std::istream& in)
                  { base::TarExtractor(c.hostDest, {"index.json"}).extract(in); });
    }
}

void BuildRunner::endBuild(engine::HeldExec* hold, const std::string& w)
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
        exec({"pkill", "-f", BuildctlArgs::metadataFile(w)}, {});
        exec({"rm", "-rf", w, _configDir}, {});
    }
    catch (const Poco::Exception& e)
    {
        log.warning("cleaning %s in the builder: %s", w, e.displayText());
    }
}

int BuildRunner::runBuildctl(const std::string& w, bool streamed,
                             const engine::FrameDemuxer::Sink& sink)
{
    auto& log = base::Log::get("build");
    engine::ExecSpec spec;
    spec.cmd = BuildctlArgs::argv(_request, w, SecretPassing::MemoryFiles, _inputDir);
    spec.env = BuildctlArgs::env(_request, _configDir);
    log.debug("exec %s", base::join(spec.cmd, " "));
    std::vector<std::string> files; // the secrets, then the ssh keys, in memory
    for (const auto& s : _request.secrets)
        files.push_back(s.value);
    for (const auto& ssh : _request.ssh)
        files.insert(files.end(), ssh.keys.begin(), ssh.keys.end());
    // The agents' relays live as long as buildctl runs.
    std::vector<std::unique_ptr<engine::SocketRelay>> relays;
    for (std::size_t i = 0; i < _request.ssh.size(); ++i)
    {
        if (_request.ssh[i].agentSocket.empty())
            continue;
        relays.push_back(
            _builder.relay(_request.ssh[i].agentSocket, BuildctlArgs::sshSocket(w, i)));
        if (!relays.back())
            throw helperNeeded("the ssh agent forwarded as " + _request.ssh[i].id);
    }
    if (streamed)
    {
        // The build's files travel on buildctl's own exec, unpacked by the helper before it
        // starts buildctl: one exec, no archive request. The directories are listed once: the
        // helper's argv and the stream must agree.
        const LocalDirs dirs = localDirs(w);
        if (auto rc = _builder.execWithFiles(spec, files, sink, unpackDirs(w, dirs),
                                             [&](std::ostream& out) { writeTars(out, dirs); }))
            return *rc;
        _inputDir = w; // the engine's archive PUT cannot reach the builder's /dev/shm
        spec.cmd = BuildctlArgs::argv(_request, w, SecretPassing::MemoryFiles, _inputDir);
        upload(w);
    }
    if (files.empty())
        return _builder.exec(spec, nullptr, sink);
    if (auto rc = _builder.execWithFiles(spec, files, sink))
        return *rc;
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
    spec.cmd = BuildctlArgs::argv(_request, w, SecretPassing::Environment, _inputDir);
    spec.env = BuildctlArgs::env(_request, _configDir, SecretPassing::Environment);
    return _builder.exec(spec, nullptr, sink);
}

int BuildRunner::buildctl(const std::string& w, bool streamed, Progress& progress,
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
                    summary.loaded = _builder.loadImages(
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
        rc = runBuildctl(w, streamed, sink);
    }
    catch (...)
    {
        joinLoader();
        throw;
    }
    joinLoader();
    if (streamed && rc == builder::MemoryFiles::UNPACK_FAILED)
        refuseUnpack(progress);
    if (rc == 0 && !loadError.empty())
        throw base::UnavailableException("loading the image into the engine failed: " + loadError);
    return rc;
}

void BuildRunner::refuseUnpack(const Progress& progress) const
{
    // The helper's line, when it is the helper that stopped (an exec the engine could not
    // start exits 126 too, and goes on as any failed build).
    const std::string says = "hoist files: cannot unpack: ";
    for (const auto& m : progress.messages())
    {
        if (base::startsWith(m, says))
            throw base::UnavailableException("the builder could not take the build's files: " +
                                             m.substr(says.size()));
    }
}

void BuildRunner::summarize(int rc, Progress& progress, BuildSummary& summary) const
{
    progress.finish();
    summary.warnings = progress.warnings();
    // The check request's report: one "WARNING: Rule - url" block a warning.
    for (std::string::size_type at = 0;
         (at = summary.callResult.find("WARNING: ", at)) != std::string::npos; at += 9)
    {
        if (at == 0 || summary.callResult[at - 1] == '\n')
            ++summary.callWarnings;
    }
    summary.stepList = progress.steps();
    summary.steps = static_cast<int>(summary.stepList.size());
    for (const auto& s : summary.stepList)
    {
        if (s.cached)
            ++summary.cached;
        if (s.failed)
            summary.failed.push_back(s);
    }
    if (rc == 0)
        return;
    std::string why;
    for (const auto& f : summary.failed)
        why += "\n" + dockerfileLine(f.name) + "step " + base::quoted(f.name) + ": " + f.error;
    for (const auto& m : progress.messages())
        why += "\n| " + m;
    if (temporary(summary.failed, progress.messages()))
        throw base::RetryableException(
            "the build could not reach a registry in time (buildctl exited " + std::to_string(rc) +
            ")" + why +
            "\nhint: the registry accepted the connection but did not answer; rerun the job "
            "when it does");
    throw base::BuildFailedException("the build failed (buildctl exited " + std::to_string(rc) +
                                     ")" + why);
}

void BuildRunner::confirmParses(const std::string& w, const Progress::Sink& onStep)
{
    // buildctl answers a check whose Dockerfile does not parse with nothing at all, as if
    // clean: the outline request fails with the parse error instead.
    const std::string call = _request.call;
    _request.call = "outline";
    try
    {
        Progress progress(onStep);
        BuildSummary probe;
        const int rc = buildctl(w, false, progress, probe); // the files are there
        summarize(rc, progress, probe);
    }
    catch (...)
    {
        _request.call = call;
        throw;
    }
    _request.call = call;
}

bool BuildRunner::inputsInMemory() const
{
    // Each file takes at least a page of tmpfs, and a dozen builds must fit in Docker's
    // default 64 MiB /dev/shm beside what else uses it: small contexts only. There, no file
    // system's per-file cost (0.4 to 0.9 ms a file on this project's test machine's state
    // volume) is paid at all.
    const std::uint64_t page = 4096;
    std::uint64_t footprint = _context.bytes() + (_context.files() + 4) * page;
    for (const std::string& name :
         {_request.dockerfileName, _request.dockerfileName + ".dockerignore"})
    {
        const Poco::File f(_request.dockerfileDir + "/" + name);
        if (!_request.dockerfileDir.empty() && f.exists())
            footprint += f.getSize();
    }
    return footprint <= INPUTS_IN_MEMORY_MAX;
}

BuildSummary BuildRunner::run(const Progress::Sink& onStep)
{
    // The work directory lives on the state volume (outputs and local caches may be large);
    // the registry credentials stay in the container's /tmp, which never outlives the builder.
    // A small context goes to the builder's /dev/shm when the helper unpacks it (inputsInMemory).
    const std::string id = base::randomHex(16);
    std::string stateDir = _builder.stateDir();
    const std::string w =
        (stateDir.empty() ? std::string("/tmp") : stateDir) + "/hoist-build-" + id;
    _configDir = "/tmp/hoist-build-" + id;
    const std::string shm = builder::Builder::SHM_DIR + std::string("/hoist-build-") + id;
    BuildSummary summary;
    summary.contextBytes = _context.bytes();
    summary.contextFiles = _context.files();
    Poco::Timestamp started;
    // Held from before the upload to after the download: teardown leaves the builder to this
    // build, and whatever ends this process, buildctl is stopped and the files removed.
    std::unique_ptr<engine::HeldExec> hold =
        _builder.hold({BuildctlArgs::metadataFile(w)}, {w, _configDir, shm});
    try
    {
        // With the helper there, the files go with buildctl's exec (runBuildctl).
        const bool streamed = hold != nullptr;
        _inputDir = streamed && inputsInMemory() ? shm : w;
        if (!streamed)
            upload(w);
        Progress progress(onStep);
        const int rc = buildctl(w, streamed, progress, summary);
        summarize(rc, progress, summary);
        if (_request.call == "lint" && summary.callWarnings == 0)
            confirmParses(w, onStep);
        download(w, summary);
    }
    catch (...)
    {
        base::Cancellation::Cleanup cleanup;
        endBuild(hold.get(), w);
        throw;
    }
    endBuild(hold.get(), w);
    summary.seconds = started.elapsed() / 1e6;
    return summary;
}

} // namespace hoist::buildrun
