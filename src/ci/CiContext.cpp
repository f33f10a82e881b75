#include "ci/CiContext.h"

#include <Poco/Environment.h>

#include <unistd.h>

namespace hoist::ci
{

std::string CiContext::providerName() const
{
    switch (provider)
    {
    case Provider::GitHub:
        return "github";
    case Provider::GitLab:
        return "gitlab";
    case Provider::Local:
        break;
    }
    return "local";
}

CiContext CiContext::detect(const base::Env& env)
{
    CiContext c;
    if (env.getOr("GITHUB_ACTIONS", "") == "true")
    {
        c.provider = Provider::GitHub;
        const std::string server = env.getOr("GITHUB_SERVER_URL", "https://github.com");
        const std::string repo = env.getOr("GITHUB_REPOSITORY", "");
        const std::string run = env.getOr("GITHUB_RUN_ID", "");
        c.session = "github:" + repo + "/" + run + "/" + env.getOr("GITHUB_RUN_ATTEMPT", "1") +
                    "/" + env.getOr("GITHUB_JOB", "");
        if (!repo.empty() && !run.empty())
            c.runUrl = server + "/" + repo + "/actions/runs/" + run;
    }
    else if (env.getOr("GITLAB_CI", "") == "true")
    {
        c.provider = Provider::GitLab;
        c.session = "gitlab:" + env.getOr("CI_PROJECT_PATH", "") + "/" + env.getOr("CI_JOB_ID", "");
        c.runUrl = env.getOr("CI_JOB_URL", "");
    }
    else
    {
        c.session = "local:" + Poco::Environment::nodeName() + ":" + std::to_string(::getuid());
    }
    c.labels["dev.hoist.ci"] = c.providerName();
    if (!c.runUrl.empty())
        c.labels["dev.hoist.run-url"] = c.runUrl;
    return c;
}

} // namespace hoist::ci
