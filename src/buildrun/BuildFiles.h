#pragma once

#include "base/TarWriter.h"
#include "builder/BuildChannel.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/ContextDiff.h"
#include "buildrun/ContextTar.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoist::buildrun
{

/// Where one build's files live in the builder: its work directory (outputs, caches, named
/// contexts, the source policy), its inputs' directory (the context and the Dockerfile: the
/// work directory, or the builder's memory for a small context) and its credentials' directory.
struct BuildDirs
{
    std::string work;
    std::string inputs;
    std::string config;
    std::string context; /// where buildctl reads the context: a mirror, or "" for inputs/context
};

/// What a build sends to its builder: the registry credentials, the work directory's skeleton
/// and source policy, the context and Dockerfile, local named contexts and caches. As tars on
/// the stream the helper unpacks before buildctl starts, or, where the helper cannot run,
/// through the engine's archive PUT.
class BuildFiles
{
public:
    /// The files of request: context is its scanned context, authConfig the config.json
    /// buildctl gets (auths only).
    BuildFiles(const BuildRequest& request, const ContextTar& context, std::string authConfig);

    /// Receives the context upload's progress: the bytes sent so far (a few times a second),
    /// then once more with done when it is sent.
    using UploadProgress = std::function<void(std::uint64_t sent, bool done)>;

    /// Sets what receives the upload's progress.
    void setUploadProgress(UploadProgress progress);

    /// Local named contexts and caches: (directory in the builder, directory here).
    using LocalDirs = std::vector<std::pair<std::string, std::string>>;

    /// Sends only what changed of the context since the last build of it, into its mirror at
    /// mirrorDir in the builder (see builder::Mirror): tells the difference from known, the
    /// mirror's manifest as this machine kept it (see MirrorManifests), else from the mirror's
    /// listing through channel. Returns false, nothing changed, when the mirror cannot be
    /// listed.
    bool useMirror(builder::BuildChannel& channel, const std::string& mirrorDir,
                   const std::optional<std::string>& known = std::nullopt);

    /// Returns true when the mirror's manifest was the one this machine kept, not listed.
    bool mirrorKnown() const;

    /// Returns the manifest the mirror has once this build's change is applied.
    const std::string& mirrorManifest() const;

    /// Sends the context whole after all (another build holds its mirror, or changed it).
    void dropMirror();

    /// Returns the mirror's directory, "" when the context is sent whole.
    const std::string& mirror() const;

    /// Returns the files and bytes of the context sent: all of it, or what changed.
    std::pair<std::size_t, std::uint64_t> sent() const;

    /// Returns, per local directory the build sends to BuildKit (the context, named contexts),
    /// the digest of its whole-second files where it has any (BuildRequest::wholeSecondDigests).
    std::map<std::string, std::string> wholeSecondDigests() const;

    /// Returns the local directories the build sends, under workDir in the builder.
    LocalDirs localDirs(const std::string& workDir) const;

    /// Returns where the helper unpacks writeTars()'s tars, in their order.
    std::vector<builder::Unpack> unpackDirs(const BuildDirs& dirs, const LocalDirs& local) const;

    /// Writes the tars: the credentials, the work directory, the inputs (the context too, when
    /// it goes whole), the mirror's change (when it has one), then each of local.
    void writeTars(std::ostream& out, const LocalDirs& local) const;

    /// Sends everything through the engine's archive PUT (no helper): the inputs into the work
    /// directory, then one PUT per local directory.
    void upload(builder::BuildChannel& channel, const BuildDirs& dirs) const;

    /// Returns true when the inputs fit in the builder's memory (their bytes and a page a file,
    /// at most INPUTS_IN_MEMORY_MAX), where no file system's cost per file is paid.
    bool inputsInMemory() const;

    /// The most a context (its bytes, a page per file) may take in the builder's /dev/shm: a
    /// dozen builds fit in Docker's default 64 MiB beside what else uses it.
    static constexpr std::uint64_t INPUTS_IN_MEMORY_MAX = 8ull << 20;

private:
    void addDockerfile(base::TarWriter& tar, const std::string& dir) const;
    void writeWorkDir(base::TarWriter& tar, const std::string& prefix) const;
    void writeInputs(base::TarWriter& tar, const std::string& prefix) const;

    const BuildRequest& _request;
    const ContextTar& _context;
    std::string _authConfig;
    UploadProgress _uploadProgress;
    std::string _mirror;       // the mirror's directory ("" none)
    std::string _mirrorDigest; // the digest of the manifest the difference was told from
    bool _mirrorKnown = false; // the manifest was this machine's, not listed
    ContextDiff _diff;
};

} // namespace hoist::buildrun
