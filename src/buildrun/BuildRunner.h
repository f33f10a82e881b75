#pragma once

#include "base/Error.h"
#include "builder/BuildChannel.h"
#include "buildrun/BuildFiles.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/BuildStep.h"
#include "buildrun/ContextTar.h"
#include "buildrun/MirrorManifests.h"
#include "buildrun/Progress.h"

#include <string>

namespace hoist::buildrun
{

/// Runs one build in a builder, through its channel: a private work directory there, the
/// build's files sent with buildctl's exec (BuildFiles), an auths-only registry config for the
/// build's duration, buildctl with secrets as in-memory files, progress decoded, a docker/oci
/// stream loaded into the engine, results brought back (BuildOutputs), the outcome judged
/// (BuildVerdict); the work directory is removed on every path, cancellation included.
class BuildRunner
{
public:
    /// A build of request through channel; context is the scanned context, authConfig the
    /// config.json content buildctl gets (auths only).
    BuildRunner(builder::BuildChannel& channel, BuildRequest request, ContextTar context,
                std::string authConfig);

    /// Runs the build, passing step events to onStep. Returns the summary. Throws as
    /// BuildVerdict::throwIfFailed() does when buildctl fails, base::UnavailableException when
    /// the image cannot be loaded into the engine, base::UsageException for what only the
    /// helper can pass where it cannot run, base::CancelledException, and engine errors as
    /// they come.
    BuildSummary run(const Progress::Sink& onStep);

    /// Receives the context upload's progress (see BuildFiles::UploadProgress).
    using UploadProgress = BuildFiles::UploadProgress;

    /// Sets what receives the upload's progress.
    void setUploadProgress(UploadProgress progress);

    /// Keeps the manifests of the context mirrors this build changes in dir (see
    /// MirrorManifests), so the next build in the same container needs no listing; "" (the
    /// default) keeps none.
    void setMirrorManifests(const std::string& dir);

private:
    void endBuild(builder::Lease* hold, const BuildDirs& dirs);
    int buildctl(const BuildDirs& dirs, bool streamed, Progress& progress, BuildSummary& summary);
    int runBuildctl(const BuildDirs& dirs, bool streamed, const engine::FrameDemuxer::Sink& sink);
    int withoutHelper(engine::ExecSpec spec, const BuildDirs& dirs,
                      const engine::FrameDemuxer::Sink& sink);
    static base::UsageException helperNeeded(const std::string& what);
    void judge(int rc, bool streamed, Progress& progress, BuildSummary& summary) const;
    void confirmParses(const BuildDirs& dirs, const Progress::Sink& onStep);
    int attempt(const BuildDirs& dirs, bool streamed, BuildSummary& summary,
                ReportedFiles& reported, const Progress::Sink& onStep, const std::string& identity);
    bool mirrorRefused(int rc) const;
    std::string mirrorIdentity(bool inMemory);
    std::string pickMirror(const std::string& root, const std::string& identity);

    builder::BuildChannel& _channel;
    BuildRequest _request;
    ContextTar _context;
    BuildFiles _files;
    MirrorManifests _manifests{""};
};

} // namespace hoist::buildrun
