#pragma once

#include "ci/CiContext.h"
#include "report/GitHubCommands.h"
#include "report/RunReport.h"

#include <Poco/Exception.h>

#include <ostream>
#include <string>

namespace hoist::report
{

/// The reports of one command, as the CI it runs in wants them: on GitHub, masks for every
/// secret, one log group per phase, build output fenced by stop-commands, step outputs named
/// as setup-buildx-action's and build-push-action's (name, platforms, imageid, digest,
/// metadata), the job summary and an error annotation; on GitLab, collapsible sections and the
/// dotenv file; everywhere, the result file's JSON.
class CiReport
{
public:
    /// Reports in ci's provider, commands to out; resultFile and dotenvFile are written when
    /// not "".
    CiReport(const ci::CiContext& ci, std::string resultFile, std::string dotenvFile,
             std::ostream& out);

    /// Masks every secret known so far (call once validation has read them).
    void maskSecrets();

    /// Opens a phase ("setup", "build", "teardown").
    void begin(const std::string& phase, const std::string& title);

    /// Closes the phase opened last.
    void end();

    /// Starts a fence around untrusted output; returns its token ("" when not on GitHub).
    std::string fence();

    /// Ends the fence.
    void unfence(const std::string& token);

    /// Writes the outputs, summary, annotation, result file and dotenv file for report.
    void finish(const RunReport& report);

    /// Records the failure in report (its message, exit code and seconds), then finish()es.
    void fail(RunReport& report, const Poco::Exception& failure, double seconds);

private:
    void annotateWarnings(GitHubCommands& gh, const RunReport& r) const;
    const ci::CiContext& _ci;
    std::ostream& _out;
    std::string _resultFile;
    std::string _dotenvFile;
    std::string _phase;
};

} // namespace hoist::report
