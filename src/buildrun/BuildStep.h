#pragma once

#include <string>
#include <vector>

namespace hoist::buildrun
{

/// One step (BuildKit vertex) of a build, as the display and the summary see it.
struct BuildStep
{
    int number = 0;   /// #N, in the order steps started
    std::string name; /// e.g. "[2/3] RUN make"
    bool cached = false;
    bool done = false;
    bool failed = false;
    std::string error;
    double seconds = 0;
    std::vector<std::string> logTail; /// the last lines it printed
};

/// Something that happened to a step.
struct StepEvent
{
    enum class Kind
    {
        Started,
        Log,
        Cached,
        Done,
        Failed
    };
    Kind kind = Kind::Started;
    BuildStep step;
    std::string text; /// a Log event's line
};

/// The end of a build: what the summary and the CI reports show.
struct BuildSummary
{
    int steps = 0;
    int cached = 0;
    double seconds = 0;
    unsigned long long contextBytes = 0;
    std::size_t contextFiles = 0;
    std::string digest;    /// containerimage.digest, when an image was made
    std::string imageId;   /// containerimage.config.digest
    std::string imageName; /// image.name
    std::string metadata;  /// the metadata file's JSON
    std::vector<BuildStep> failed;
    std::vector<BuildStep> stepList; /// every step, in start order
    std::vector<std::string> loaded; /// images loaded into the engine
};

} // namespace hoist::buildrun
