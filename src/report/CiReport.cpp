// This file implements a command's reports to its CI: on GitHub the masks, log groups, fences,
// step outputs, job summary and annotations; on GitLab the sections and the dotenv file; and
// the result file everywhere.

#include "report/CiReport.h"

#include "base/Error.h"
#include "base/Redactor.h"
#include "base/Strings.h"
#include "report/GitHubCommands.h"
#include "report/GitLabSections.h"
#include "report/JobSummary.h"
#include "report/ResultFile.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

#include <sstream>

namespace hoist::report
{

namespace
{

// setup-buildx-action's nodes output: buildx's inspect of the builder's one node.
std::string nodesJson(const RunReport& r)
{
    Poco::JSON::Object node(Poco::JSON_PRESERVE_KEY_ORDER);
    node.set("name", Poco::toLower(r.builder) + "0");
    node.set("endpoint", r.endpoint);
    node.set("status", "running");
    node.set("buildkitd-flags", r.buildkitdFlags);
    node.set("buildkit", r.buildkitVersion);
    node.set("platforms", base::join(r.platforms, ","));
    Poco::JSON::Array nodes;
    nodes.add(node);
    std::ostringstream out;
    nodes.stringify(out, 2);
    return out.str();
}

// The Dockerfile relative to the workspace, as GitHub resolves annotation paths.
std::string workspacePath(const std::string& path, const std::string& workspace)
{
    const std::string ws =
        workspace.empty() || workspace.back() == '/' ? workspace : workspace + "/";
    return !ws.empty() && base::startsWith(path, ws) ? path.substr(ws.size()) : path;
}

// The file an error annotation points at: the Dockerfile BuildKit names ("Dockerfile:3: …"),
// relative to the workspace as GitHub resolves annotation paths; "" when the error names none.
std::string annotationFile(const std::string& error, const RunReport& r,
                           const std::string& workspace, int& line)
{
    static const Poco::RegularExpression where("^([^ :]+):([0-9]+): ",
                                               Poco::RegularExpression::RE_MULTILINE);
    Poco::RegularExpression::MatchVec m;
    if (!where.match(error, 0, m) || m.size() != 3)
        return "";
    std::string file = error.substr(m[1].offset, m[1].length);
    line = std::stoi(error.substr(m[2].offset, m[2].length));
    if (r.dockerfile != file && !base::endsWith(r.dockerfile, "/" + file))
        return file;
    return workspacePath(r.dockerfile, workspace);
}

GitHubCommands github(const ci::CiContext& ci, std::ostream& out)
{
    return GitHubCommands(out, ci.githubFiles.output, ci.githubFiles.summary, ci.githubFiles.state,
                          ci.githubFiles.env);
}

} // namespace

CiReport::CiReport(const ci::CiContext& ci, std::string resultFile, std::string dotenvFile,
                   std::ostream& out)
    : _ci(ci), _out(out), _resultFile(std::move(resultFile)), _dotenvFile(std::move(dotenvFile))
{
}

void CiReport::annotateWarnings(GitHubCommands& gh, const RunReport& r) const
{
    // As docker/build-push-action annotates the Dockerfile's check warnings.
    for (const auto& w : r.build.warnings)
    {
        const bool ours = !w.file.empty() &&
                          (r.dockerfile == w.file || base::endsWith(r.dockerfile, "/" + w.file));
        gh.warning(w.message + (w.url.empty() ? "" : "\nMore info: " + w.url),
                   ours ? workspacePath(r.dockerfile, _ci.workspace) : w.file, w.line,
                   w.detail.empty() ? w.rule : w.detail);
    }
}

void CiReport::maskSecrets()
{
    if (_ci.provider != ci::CiContext::Provider::GitHub)
        return;
    auto gh = github(_ci, _out);
    // Each line is a secret of its own (Redactor::add): the runner masks line by line.
    for (const auto& s : base::Redactor::instance().secrets())
    {
        if (s.find('\0') == std::string::npos)
            gh.mask(s);
    }
}

void CiReport::begin(const std::string& phase, const std::string& title)
{
    _phase = phase;
    if (_ci.provider == ci::CiContext::Provider::GitHub)
        github(_ci, _out).group(title);
    else if (_ci.provider == ci::CiContext::Provider::GitLab)
        GitLabSections(_out).start("hoist_" + phase, title);
}

void CiReport::end()
{
    if (_phase.empty())
        return;
    if (_ci.provider == ci::CiContext::Provider::GitHub)
        github(_ci, _out).endGroup();
    else if (_ci.provider == ci::CiContext::Provider::GitLab)
        GitLabSections(_out).end("hoist_" + _phase);
    _phase.clear();
}

std::string CiReport::fence()
{
    return _ci.provider == ci::CiContext::Provider::GitHub ? github(_ci, _out).stopCommands() : "";
}

void CiReport::unfence(const std::string& token)
{
    if (!token.empty())
        github(_ci, _out).resume(token);
}

void CiReport::fail(RunReport& r, const Poco::Exception& failure, double seconds)
{
    r.error = base::userMessage(failure);
    r.exitCode = base::exitCodeFor(failure);
    r.seconds = seconds;
    finish(r);
}

void CiReport::finish(const RunReport& r)
{
    end();
    if (_ci.provider == ci::CiContext::Provider::GitHub)
    {
        auto gh = github(_ci, _out);
        if (r.command == "setup")
        {
            gh.saveState("builder", r.builder); // for the action's post step
            gh.setOutput("nodes", nodesJson(r));
            // setup-buildx-action's first node, as its deprecated outputs give it.
            gh.setOutput("endpoint", r.endpoint);
            gh.setOutput("status", "running");
            gh.setOutput("flags", r.buildkitdFlags);
            if (r.current)
                gh.useBuilder(r.builder);
        }
        // setup-qemu-action's one output: what the engine runs now.
        if (r.command == "qemu")
            gh.setOutput("platforms", base::join(r.platforms, ","));
        // The builder outputs come from the step that made it (setup-buildx-action's).
        if (!r.builder.empty() && r.command != "build")
        {
            gh.setOutput("name", r.builder);
            gh.setOutput("driver", r.driver);
            gh.setOutput("platforms", base::join(r.platforms, ","));
        }
        if (r.built)
        {
            gh.setOutput("imageid", r.build.imageId);
            gh.setOutput("digest", r.build.digest);
            std::string metadata = r.build.metadata;
            try
            {
                std::ostringstream pretty;
                Poco::JSON::Parser().parse(metadata).extract<Poco::JSON::Object::Ptr>()->stringify(
                    pretty, 2);
                metadata = pretty.str();
            }
            catch (const Poco::Exception&)
            {
            }
            gh.setOutput("metadata", metadata);
        }
        if (_ci.jobSummary && JobSummary::wanted(r))
            gh.appendSummary(base::Redactor::instance().redact(JobSummary::markdown(r)));
        if (_ci.checkAnnotations && r.built)
            annotateWarnings(gh, r);
        if (!r.error.empty())
        {
            // Point at the Dockerfile line when the error names one ("Dockerfile:2: …").
            int line = 0;
            const std::string file = annotationFile(r.error, r, _ci.workspace, line);
            gh.error(base::Redactor::instance().redact(r.error), file, line);
        }
    }
    if (!_dotenvFile.empty() && r.built)
        GitLabSections::writeDotenv(_dotenvFile, GitLabSections::dotenv(r));
    if (!_resultFile.empty())
        ResultFile::write(_resultFile, r);
}

} // namespace hoist::report
