#pragma once

#include "buildrun/BuildStep.h"

#include <string>
#include <vector>

namespace hoist::buildrun
{

/// What a finished buildctl run means, decided from its exit code and what it printed alone
/// (pure): built, a step of the user's build failed, a registry did not answer in time (worth
/// rerunning as it is), or the builder could not take the build's files.
struct BuildVerdict
{
    enum class Kind
    {
        Built,
        StepFailed,          /// exit 1 (base::BuildFailedException)
        RegistryUnreachable, /// exit 75 (base::RetryableException)
        FilesRefused         /// exit 69 (base::UnavailableException)
    };

    Kind kind = Kind::Built;
    std::string message; /// the reason, with each failed step and its Dockerfile line

    /// The Dockerfile the steps came from, to point at a failed step's line; empty text when
    /// it is not on this machine (a remote context).
    struct Dockerfile
    {
        std::string name; /// as the user gave it, e.g. "Dockerfile"
        std::string text;
    };

    /// Returns the verdict of a buildctl run that exited rc, whose failed steps are failed and
    /// whose lines that were not progress are messages. streamed: the helper unpacked the
    /// build's files first (its exit code for a failed unpack is MemoryFiles::UNPACK_FAILED).
    static BuildVerdict of(int rc, bool streamed, const std::vector<BuildStep>& failed,
                           const std::vector<std::string>& messages, const Dockerfile& dockerfile);

    /// Returns the verdict of a --call request answered as summary says: a check (call "lint")
    /// that found warnings failed, as buildx fails it.
    static BuildVerdict ofCheck(const std::string& call, const BuildSummary& summary);

    /// Throws the exception of the kind (nothing when built).
    void throwIfFailed() const;

    /// Returns "Dockerfile:7: " for the first line of text that starts as the step's
    /// instruction ("[linux/arm64 2/3] RUN make" → "RUN make"), or "".
    static std::string dockerfileLine(const std::string& stepName, const Dockerfile& dockerfile);
};

/// Fills the summary's step counts, failed steps and warnings from a finished build's steps,
/// and counts a --call check's warnings in its answer (summary.callResult).
void countSteps(const std::vector<BuildStep>& steps, const std::vector<BuildWarning>& warnings,
                BuildSummary& summary);

} // namespace hoist::buildrun
