#pragma once

#include "builder/BuildChannel.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/BuildStep.h"
#include "buildrun/Progress.h"

#include <string>

namespace hoist::buildrun
{

/// What a build brings back from its builder: buildctl's metadata, the local, tar, oci and
/// docker outputs that go to this machine, and local caches. Outputs stream; none is written
/// through a symlink or outside its destination, a file output is complete or not there, and a
/// local cache's index.json comes last.
class BuildOutputs
{
public:
    /// Copies request's outputs and local caches from workDir in the builder through channel,
    /// and the metadata into summary (its digest, image ID and name): buildctl's metadata and
    /// ref files as reported holds them, through channel when it does not. Throws
    /// Poco::WriteFileException when an output cannot be written here.
    static void download(builder::BuildChannel& channel, const BuildRequest& request,
                         const std::string& workDir, const ReportedFiles& reported,
                         BuildSummary& summary);

    /// Sets summary's digest, image ID and image name from its metadata (buildctl's JSON). The
    /// image ID is the config's digest, else the image's (an index has no config), as buildx's
    /// --iidfile and build-push-action's imageid output give it.
    static void readMetadata(BuildSummary& summary);

    /// Adds to summary's metadata the keys buildx adds to its metadata file: buildx.build.ref,
    /// BUILDER/NODE/REF (the build in BuildKit's history, NODE buildx's name of builder's
    /// node); with warnings, buildx.build.warnings, BuildKit's warnings as it sent them.
    static void addBuildxKeys(BuildSummary& summary, const std::string& builder, bool warnings);
};

} // namespace hoist::buildrun
