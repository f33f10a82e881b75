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
        Failed,
        Raw /// a line of buildctl's rawjson stream as it came (secrets redacted), before the rest
    };
    Kind kind = Kind::Started;
    BuildStep step;
    std::string text; /// a Log event's line; a Raw event's JSON
};

/// A warning the frontend raised (a Dockerfile check, a deprecated form), as BuildKit sends it.
struct BuildWarning
{
    std::string rule;    /// the check's name, e.g. "FromAsCasing" ("" when the text has none)
    std::string message; /// e.g. "'as' and 'FROM' keywords' casing do not match"
    std::string detail;  /// the longer explanation
    std::string url;     /// the rule's documentation
    std::string raw;     /// the warning as BuildKit sent it (JSON), as buildx's metadata keeps it
    std::string file;    /// the source file, e.g. "Dockerfile"
    int line = 0;        /// where in it; 0 when unknown
};

/// The end of a build: what the summary and the CI reports show.
struct BuildSummary
{
    int steps = 0;
    int cached = 0;
    double seconds = 0;
    unsigned long long contextBytes = 0; /// of the context's files sent
    std::size_t contextFiles = 0;        /// in the context
    long contextChanged = -1; /// files sent to the context's mirror; -1: the context went whole
    std::string digest;       /// containerimage.digest, when an image was made
    std::string imageId;      /// containerimage.config.digest
    std::string imageName;    /// image.name
    std::string metadata;     /// the metadata file's JSON
    std::string ref;          /// the build's key in BuildKit's build history ("" unknown)
    std::vector<BuildStep> failed;
    std::vector<BuildStep> stepList; /// every step, in start order
    std::vector<std::string> loaded; /// images loaded into the engine
    std::vector<BuildWarning> warnings;
    std::string callResult; /// a --call request's answer (e.g. the checks' report), as printed
    int callWarnings = 0;   /// the warnings a --call check found
};

} // namespace hoist::buildrun
