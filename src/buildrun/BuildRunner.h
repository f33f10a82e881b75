#pragma once

#include "base/Error.h"
#include "base/TarWriter.h"
#include "builder/Builder.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/BuildStep.h"
#include "buildrun/ContextTar.h"
#include "buildrun/Progress.h"

#include <string>

namespace hoist::buildrun
{

/// Runs one build in a builder: a private work directory in the builder container, the
/// context and Dockerfile uploaded there, an auths-only registry config for the build's
/// duration, buildctl exec'd with secrets in its environment, progress decoded, a docker/oci
/// stream loaded into the engine, results copied back; the work directory is removed on every
/// path, cancellation included.
class BuildRunner
{
public:
    /// A build of request on builder; context is the scanned context, authConfig the
    /// config.json content buildctl gets (auths only).
    BuildRunner(builder::Builder& builder, BuildRequest request, ContextTar context,
                std::string authConfig);

    /// Runs the build, passing step events to onStep. Returns the summary. Throws
    /// base::BuildFailedException when buildctl fails (the summary's failed steps in the
    /// message), base::CancelledException, and engine errors as they come.
    BuildSummary run(const Progress::Sink& onStep);

    /// Receives the context upload's progress: the tar's bytes sent so far (a few times a
    /// second), then once more with done when it is sent.
    using UploadProgress = std::function<void(std::uint64_t sent, bool done)>;

    /// Sets what receives the upload's progress.
    void setUploadProgress(UploadProgress progress);

private:
    // The most a context (its bytes, a page per file) may take in the builder's /dev/shm.
    static constexpr std::uint64_t INPUTS_IN_MEMORY_MAX = 8ull << 20;
    UploadProgress _uploadProgress;
    void addDockerfile(base::TarWriter& tar, const std::string& dir) const;
    void upload(const std::string& workDir);
    void writeWorkDir(base::TarWriter& tar, const std::string& prefix) const;
    void writeInputs(base::TarWriter& tar, const std::string& prefix) const;
    bool inputsInMemory() const;
    // Local named contexts and caches: (directory in the builder, directory here).
    using LocalDirs = std::vector<std::pair<std::string, std::string>>;
    LocalDirs localDirs(const std::string& workDir) const;
    void writeTars(std::ostream& out, const LocalDirs& dirs);
    std::vector<std::string> unpackDirs(const std::string& workDir, const LocalDirs& dirs) const;
    void refuseUnpack(const Progress& progress) const;
    void download(const std::string& workDir, BuildSummary& summary);
    std::string dockerfileLine(const std::string& stepName) const;
    void endBuild(engine::HeldExec* hold, const std::string& workDir);
    int buildctl(const std::string& workDir, bool streamed, Progress& progress,
                 BuildSummary& summary);
    int runBuildctl(const std::string& workDir, bool streamed,
                    const engine::FrameDemuxer::Sink& sink);
    static base::UsageException helperNeeded(const std::string& what);
    void confirmParses(const std::string& workDir, const Progress::Sink& onStep);
    void summarize(int rc, Progress& progress, BuildSummary& summary) const;
    int exec(const std::vector<std::string>& cmd, const std::vector<std::string>& env,
             std::string* out = nullptr);

    builder::Builder& _builder;
    BuildRequest _request;
    ContextTar _context;
    std::string _authConfig;
    std::string _configDir;
    std::string _inputDir; // the context's and Dockerfile's directory in the builder
};

} // namespace hoist::buildrun
