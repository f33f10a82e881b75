// This file implements how a finished build is judged: the failure classes and their
// messages, decided from buildctl's exit code and output alone.

#include "buildrun/BuildVerdict.h"

#include "base/Error.h"
#include "base/Strings.h"
#include "builder/MemoryFiles.h"

#include <sstream>

namespace hoist::buildrun
{

namespace
{

bool timedOut(const std::string& text)
{
    static const char* TIMEOUTS[] = {"i/o timeout", "deadline exceeded", "TLS handshake timeout",
                                     "connection reset by peer", "unexpected EOF"};
    for (const char* t : TIMEOUTS)
    {
        if (text.find(t) != std::string::npos)
            return true;
    }
    return false;
}

// A failure worth rerunning as it is: a network timeout while exporting or pushing, not a
// step of the user's build.
bool temporary(const std::vector<BuildStep>& failed, const std::vector<std::string>& messages)
{
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

// The helper's line, when it is the helper that stopped (an exec the engine could not start
// exits 126 too, and goes on as any failed build).
const char* const UNPACK_SAYS = "hoist files: cannot unpack: ";

} // namespace

std::string BuildVerdict::dockerfileLine(const std::string& stepName, const Dockerfile& dockerfile)
{
    if (dockerfile.text.empty())
        return "";
    std::string instruction = stepName;
    auto close = instruction.find("] ");
    if (!instruction.empty() && instruction[0] == '[' && close != std::string::npos)
        instruction = instruction.substr(close + 2);
    const std::string probe = instruction.substr(0, 40);
    std::istringstream in(dockerfile.text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
    {
        auto start = line.find_first_not_of(" \t");
        if (start != std::string::npos && !probe.empty() &&
            line.compare(start, probe.size(), probe) == 0)
            return dockerfile.name + ":" + std::to_string(n) + ": ";
    }
    return "";
}

BuildVerdict BuildVerdict::of(int rc, bool streamed, const std::vector<BuildStep>& failed,
                              const std::vector<std::string>& messages,
                              const Dockerfile& dockerfile)
{
    BuildVerdict v;
    if (rc == 0)
        return v;
    if (streamed && rc == builder::MemoryFiles::UNPACK_FAILED)
    {
        for (const auto& m : messages)
        {
            if (base::startsWith(m, UNPACK_SAYS))
            {
                v.kind = Kind::FilesRefused;
                v.message = "the builder could not take the build's files: " +
                            m.substr(std::string(UNPACK_SAYS).size());
                return v;
            }
        }
    }
    std::string why;
    for (const auto& f : failed)
        why += "\n" + dockerfileLine(f.name, dockerfile) + "step " + base::quoted(f.name) + ": " +
               f.error;
    for (const auto& m : messages)
        why += "\n| " + m;
    if (temporary(failed, messages))
    {
        v.kind = Kind::RegistryUnreachable;
        v.message = "the build could not reach a registry in time (buildctl exited " +
                    std::to_string(rc) + ")" + why +
                    "\nhint: the registry accepted the connection but did not answer; rerun the "
                    "job when it does";
        return v;
    }
    v.kind = Kind::StepFailed;
    v.message = "the build failed (buildctl exited " + std::to_string(rc) + ")" + why;
    return v;
}

BuildVerdict BuildVerdict::ofCheck(const std::string& call, const BuildSummary& summary)
{
    BuildVerdict v;
    const int n = summary.callWarnings;
    if (call != "lint" || n == 0)
        return v;
    v.kind = Kind::StepFailed;
    v.message =
        "the Dockerfile's checks found " + std::to_string(n) + (n == 1 ? " warning" : " warnings");
    return v;
}

void BuildVerdict::throwIfFailed() const
{
    switch (kind)
    {
    case Kind::Built:
        return;
    case Kind::StepFailed:
        throw base::BuildFailedException(message);
    case Kind::RegistryUnreachable:
        throw base::RetryableException(message);
    case Kind::FilesRefused:
        throw base::UnavailableException(message);
    }
}

void countSteps(const std::vector<BuildStep>& steps, const std::vector<BuildWarning>& warnings,
                BuildSummary& summary)
{
    summary.warnings = warnings;
    // The check request's report: one "WARNING: Rule - url" block a warning.
    for (std::string::size_type at = 0;
         (at = summary.callResult.find("WARNING: ", at)) != std::string::npos; at += 9)
    {
        if (at == 0 || summary.callResult[at - 1] == '\n')
            ++summary.callWarnings;
    }
    summary.stepList = steps;
    summary.steps = static_cast<int>(steps.size());
    for (const auto& s : steps)
    {
        if (s.cached)
            ++summary.cached;
        if (s.failed)
            summary.failed.push_back(s);
    }
}

} // namespace hoist::buildrun
