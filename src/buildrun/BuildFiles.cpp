// This file implements what a build sends to its builder: the tars the helper unpacks before
// buildctl starts, or the engine's archive PUTs where the helper cannot run.

#include "buildrun/BuildFiles.h"

#include "base/Log.h"
#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "buildrun/BuildctlArgs.h"
#include "buildrun/DockerIgnore.h"

#include <Poco/File.h>
#include <Poco/Timestamp.h>

#include <fstream>

namespace hoist::buildrun
{

namespace
{

// A tar of one directory's files (local caches and named contexts), kept whole.
void tarDirectory(std::ostream& out, const std::string& dir)
{
    DockerIgnore none;
    base::Problems problems;
    ContextTar::scan(dir, none, problems).write(out, "");
}

void dirEntry(base::TarWriter& tar, const std::string& name)
{
    base::TarWriter::Entry e;
    e.name = name;
    e.mode = 0700;
    tar.addDirectory(e);
}

// Passes what is written on to another stream, counting it and telling the count now and then.
class CountingBuf : public std::streambuf
{
public:
    CountingBuf(std::ostream& to, const BuildFiles::UploadProgress& tell) : _to(to), _tell(tell) {}

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
    const BuildFiles::UploadProgress& _tell;
    std::uint64_t _count = 0;
    Poco::Timestamp _last;
};

void addConfig(base::TarWriter& tar, const std::string& name, const std::string& authConfig)
{
    base::TarWriter::Entry cfg;
    cfg.name = name;
    cfg.mode = 0600;
    tar.addFile(cfg, authConfig);
}

} // namespace

BuildFiles::BuildFiles(const BuildRequest& request, const ContextTar& context,
                       std::string authConfig)
    : _request(request), _context(context), _authConfig(std::move(authConfig))
{
}

void BuildFiles::setUploadProgress(UploadProgress progress)
{
    _uploadProgress = std::move(progress);
}

void BuildFiles::addDockerfile(base::TarWriter& tar, const std::string& dir) const
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

void BuildFiles::writeWorkDir(base::TarWriter& tar, const std::string& prefix) const
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

void BuildFiles::writeInputs(base::TarWriter& tar, const std::string& prefix) const
{
    dirEntry(tar, prefix + "dockerfile");
    addDockerfile(tar, prefix + "dockerfile/");
    if (!_mirror.empty())
        return; // the context goes to its mirror
    dirEntry(tar, prefix + "context");
    _context.writeEntries(tar, prefix + "context/");
}

bool BuildFiles::useMirror(builder::BuildChannel& channel, const std::string& mirrorDir,
                           const std::optional<std::string>& known)
{
    std::string why;
    auto manifest =
        known ? known : channel.helperOutput({builder::Mirror::LIST_COMMAND, mirrorDir}, why);
    try
    {
        if (!manifest)
            throw Poco::IOException(why);
        _diff = ContextDiff::of(builder::Mirror::parse(*manifest), _context.items(),
                                [this](const ContextTar::Item& i) { return _context.digestOf(i); });
    }
    catch (const Poco::Exception& e)
    {
        base::Log::get("build").information("the context goes whole: its mirror %s: %s", mirrorDir,
                                            e.displayText());
        return false;
    }
    _mirror = mirrorDir;
    _mirrorDigest = builder::Mirror::digest(*manifest);
    _mirrorKnown = known.has_value();
    base::Log::get("build").debug(
        "the context's mirror %s: %s", mirrorDir,
        std::string(_mirrorKnown ? "its manifest as kept here" : "its manifest as listed there"));
    return true;
}

void BuildFiles::dropMirror()
{
    _mirror.clear();
    _mirrorDigest.clear();
    _mirrorKnown = false;
}

bool BuildFiles::mirrorKnown() const
{
    return _mirrorKnown;
}

const std::string& BuildFiles::mirrorManifest() const
{
    return _diff.manifest;
}

const std::string& BuildFiles::mirror() const
{
    return _mirror;
}

std::pair<std::size_t, std::uint64_t> BuildFiles::sent() const
{
    if (_mirror.empty())
        return {_context.files(), _context.bytes()};
    return {_diff.files, _diff.bytes};
}

void BuildFiles::writeTars(std::ostream& raw, const LocalDirs& local) const
{
    // The credentials' directory, the work directory, the inputs' directory, then local (see
    // unpackDirs()).
    CountingBuf counting(raw, _uploadProgress);
    std::ostream out(&counting);
    base::TarWriter config(out);
    addConfig(config, "config.json", _authConfig);
    config.finish();
    base::TarWriter work(out);
    writeWorkDir(work, "");
    work.finish();
    base::TarWriter inputs(out);
    writeInputs(inputs, "");
    inputs.finish();
    if (!_mirror.empty())
    {
        // The mirror's part: what to remove, its manifest once changed, then what changed.
        const std::string removals = builder::MemoryFiles::frame({_diff.removals, _diff.manifest});
        out.write(removals.data(), static_cast<std::streamsize>(removals.size()));
        base::TarWriter changed(out);
        _context.writeEntries(changed, "", &_diff.send);
        changed.finish();
    }
    if (_uploadProgress)
        _uploadProgress(counting.count(), true);
    for (const auto& dir : local)
        tarDirectory(raw, dir.second);
}

std::vector<builder::Unpack> BuildFiles::unpackDirs(const BuildDirs& dirs,
                                                    const LocalDirs& local) const
{
    std::vector<builder::Unpack> all = {builder::Unpack::into(dirs.config),
                                        builder::Unpack::into(dirs.work),
                                        builder::Unpack::into(dirs.inputs)};
    if (!_mirror.empty())
        all.push_back({_mirror, _mirrorDigest});
    for (const auto& dir : local)
        all.push_back(builder::Unpack::into(dir.first));
    return all;
}

void BuildFiles::upload(builder::BuildChannel& channel, const BuildDirs& dirs) const
{
    // One archive PUT extracted at the container's root: the engine refuses a symlink that
    // leaves the directory it extracts into, and a context may hold links that leave it by
    // any number of levels (buildx sends them as they are). The engine creates the
    // directories the tar names. The inputs go to the work directory: the PUT cannot reach
    // the builder's /dev/shm.
    const std::string prefix = dirs.work.substr(1) + "/";
    std::uint64_t sent = 0;
    channel.copyIn("/",
                   [&](std::ostream& raw)
                   {
                       CountingBuf counting(raw, _uploadProgress);
                       std::ostream out(&counting);
                       base::TarWriter tar(out);
                       const std::string configDir = dirs.config.substr(1);
                       dirEntry(tar, configDir);
                       addConfig(tar, configDir + "/config.json", _authConfig);
                       dirEntry(tar, dirs.work.substr(1));
                       writeWorkDir(tar, prefix);
                       writeInputs(tar, prefix);
                       tar.finish();
                       out.flush();
                       sent = counting.count();
                   });
    if (_uploadProgress)
        _uploadProgress(sent, true);
    // Named contexts and local caches are directories of their own: one PUT each.
    for (const auto& [inBuilder, here] : localDirs(dirs.work))
        channel.copyIn(inBuilder, [&](std::ostream& out) { tarDirectory(out, here); });
}

std::map<std::string, std::string> BuildFiles::wholeSecondDigests() const
{
    std::map<std::string, std::string> digests;
    if (_request.remoteContext.empty() && !_request.contextDir.empty())
        digests[_request.contextDir] = _context.wholeSecondDigest();
    for (const auto& named : _request.namedContexts)
    {
        if (!isLocalDir(named.second))
            continue;
        DockerIgnore none;
        base::Problems problems;
        digests[named.second] = ContextTar::scan(named.second, none, problems).wholeSecondDigest();
    }
    for (auto it = digests.begin(); it != digests.end();)
        it = it->second.empty() ? digests.erase(it) : std::next(it);
    return digests;
}

BuildFiles::LocalDirs BuildFiles::localDirs(const std::string& workDir) const
{
    LocalDirs dirs;
    for (std::size_t i = 0; i < _request.namedContexts.size(); ++i)
    {
        const std::string& value = _request.namedContexts[i].second;
        if (isLocalDir(value))
            dirs.emplace_back(workDir + "/ctx" + std::to_string(i), value);
    }
    for (std::size_t i = 0; i < _request.cacheFrom.size(); ++i)
    {
        const auto& c = _request.cacheFrom[i];
        if (c.type == CacheType::Local && Poco::File(c.hostDest).exists())
            dirs.emplace_back(workDir + "/cache-from-" + std::to_string(i), c.hostDest);
    }
    return dirs;
}

bool BuildFiles::inputsInMemory() const
{
    // Each file takes at least a page of tmpfs. There, no file system's per-file cost (0.4 to
    // 0.9 ms a file on this project's test machine's state volume) is paid at all.
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

} // namespace hoist::buildrun
