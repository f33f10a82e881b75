// This file implements CI detection: what GitHub Actions' or GitLab CI's variables and GitHub's
// event payload tell about the run (session, source, gha cache, the CI's registry login), the
// matrix leg, and the default builder name.

#include "ci/CiContext.h"

#include "base/Strings.h"

#include "base/Redactor.h"

#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <cstdint>
#include <cstdio>

#include <unistd.h>

namespace hoist::ci
{

std::string CiContext::defaultBuilder() const
{
    if (provider == Provider::Local)
        return "hoist";
    // buildx's name rule: a letter, then letters, digits, '.', '-', '_'.
    std::string name = provider == Provider::GitHub ? "gh-" : "gl-";
    for (char c : jobKey)
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                    : '-';
    return name.substr(0, 60);
}

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

namespace
{

// The event that started the run (GITHUB_EVENT_PATH), or nullptr.
Poco::JSON::Object::Ptr event(const base::Env& env)
{
    try
    {
        if (!env.has("GITHUB_EVENT_PATH"))
            return nullptr;
        Poco::FileInputStream in(*env.get("GITHUB_EVENT_PATH"));
        return Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        return nullptr;
    }
}

// A push event names its head commit's time; most events say whether the repository is
// private.
void fromEvent(const base::Env& env, CiContext& c)
{
    auto e = event(env);
    if (!e)
        return;
    if (auto head = e->getObject("head_commit"))
        c.source.commitTime = head->optValue<std::string>("timestamp", "");
    auto pr = e->getObject("pull_request");
    auto head = pr ? pr->getObject("head") : nullptr;
    if (head && env.getOr("DOCKER_DEFAULT_GIT_CONTEXT_PR_HEAD_REF", "") == "true")
        c.gitContext = c.gitContext.substr(0, c.gitContext.find('#') + 1) +
                       head->optValue<std::string>("sha", "");
    auto repo = e->getObject("repository");
    if (repo && repo->has("private") && repo->get("private").isBoolean())
        c.repositoryPrivate = repo->getValue<bool>("private");
}

// The action's parseBool: 1 t T true TRUE True, 0 f F false FALSE False.
bool actionSwitch(const base::Env& env, const std::string& name, CiContext& c)
{
    const std::string v = env.getOr(name, "");
    if (v.empty())
        return true;
    for (const char* t : {"1", "t", "T", "true", "TRUE", "True"})
        if (v == t)
            return true;
    for (const char* f : {"0", "f", "F", "false", "FALSE", "False"})
        if (v == f)
            return false;
    c.switchProblems.push_back(
        {name, name + "=\"" + v + "\" is not true or false (1, t, true, 0, f, false)", ""});
    return true;
}

// A matrix leg as part of a name: lower case, [a-z0-9._-], at most 40 characters (a long one
// cut and told apart by a hash of the whole).
std::string legName(const std::string& leg)
{
    std::string name;
    for (char ch : leg)
    {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const bool keep = std::isalnum(static_cast<unsigned char>(l)) || l == '.' || l == '_';
        if (keep || (!name.empty() && name.back() != '-'))
            name += keep ? l : '-';
    }
    while (!name.empty() && name.back() == '-')
        name.pop_back();
    if (name.size() <= 40)
        return name;
    std::uint32_t h = 2166136261u; // FNV-1a
    for (unsigned char ch : leg)
        h = (h ^ ch) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return name.substr(0, 31) + "-" + hex;
}

// Returns name as a registry tag: lower case, [a-z0-9._-], 63 characters at most.
std::string slug(const std::string& name)
{
    std::string out;
    for (char ch : name)
    {
        char l = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out += std::isalnum(static_cast<unsigned char>(l)) || l == '.' || l == '_' ? l : '-';
    }
    return out.substr(0, 63);
}

void github(const base::Env& env, CiContext& c)
{
    c.jobSummary = actionSwitch(env, "DOCKER_BUILD_SUMMARY", c);
    c.checkAnnotations = actionSwitch(env, "DOCKER_BUILD_CHECKS_ANNOTATIONS", c);
    actionSwitch(env, "DOCKER_BUILD_RECORD_UPLOAD", c);
    c.provider = CiContext::Provider::GitHub;
    const std::string server = env.getOr("GITHUB_SERVER_URL", "https://github.com");
    const std::string repo = env.getOr("GITHUB_REPOSITORY", "");
    const std::string run = env.getOr("GITHUB_RUN_ID", "");
    c.session = "github:" + repo + "/" + run + "/" + env.getOr("GITHUB_RUN_ATTEMPT", "1") + "/" +
                env.getOr("GITHUB_JOB", "");
    if (!repo.empty() && !run.empty())
    {
        c.runUrl = server + "/" + repo + "/actions/runs/" + run;
        c.builderId = c.runUrl + "/attempts/" + env.getOr("GITHUB_RUN_ATTEMPT", "1");
    }
    c.jobKey = repo + "/" + env.getOr("GITHUB_JOB", "");
    if (!repo.empty())
    {
        c.source.repoUrl = server + "/" + repo;
        std::string lower;
        for (char ch : repo)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        c.source.imageName = "ghcr.io/" + lower;
    }
    const std::string event = env.getOr("GITHUB_EVENT_NAME", "");
    c.changeRequest = event == "pull_request" || event == "pull_request_target";
    c.source.sha = env.getOr("GITHUB_SHA", "");
    c.source.refName = env.getOr("GITHUB_REF_NAME", "");
    if (!repo.empty())
    {
        // build-push-action's default context: the commit built, on the server of the run.
        const std::string ref = c.source.sha.empty() ? env.getOr("GITHUB_REF", "") : c.source.sha;
        c.gitContext = server + "/" + repo + ".git#" + ref;
        const auto scheme = server.find("://");
        const std::string rest = scheme == std::string::npos ? server : server.substr(scheme + 3);
        c.gitHost = rest.substr(0, rest.find('/'));
    }
    fromEvent(env, c);
}

void gitlab(const base::Env& env, CiContext& c)
{
    c.provider = CiContext::Provider::GitLab;
    c.session = "gitlab:" + env.getOr("CI_PROJECT_PATH", "") + "/" + env.getOr("CI_JOB_ID", "");
    c.runUrl = env.getOr("CI_JOB_URL", "");
    c.builderId = c.runUrl;
    c.jobKey = env.getOr("CI_PROJECT_PATH", "") + "/" + env.getOr("CI_JOB_NAME", "");
    c.source.repoUrl = env.getOr("CI_PROJECT_URL", "");
    c.source.sha = env.getOr("CI_COMMIT_SHA", "");
    c.source.refName = env.getOr("CI_COMMIT_REF_NAME", "");
    c.source.refSlug = env.getOr("CI_COMMIT_REF_SLUG", "");
    c.source.commitTime = env.getOr("CI_COMMIT_TIMESTAMP", "");
    c.source.imageName = env.getOr("CI_REGISTRY_IMAGE", "");
    c.source.defaultRefSlug = slug(env.getOr("CI_DEFAULT_BRANCH", ""));
    c.changeRequest = env.has("CI_MERGE_REQUEST_IID") ||
                      env.getOr("CI_PIPELINE_SOURCE", "") == "merge_request_event";
    const std::string host = env.getOr("DOCKER_HOST", "");
    c.ephemeralEngine = base::startsWith(host, "tcp://docker:") || host == "tcp://docker";
}

} // namespace

bool CiContext::inJob(const base::Env& env)
{
    return underGitHubRunner(env) || env.getOr("GITLAB_CI", "") == "true" ||
           env.getOr("CI", "") == "true";
}

bool CiContext::underGitHubRunner(const base::Env& env)
{
    return env.getOr("GITHUB_ACTIONS", "") == "true";
}

CiContext CiContext::detect(const base::Env& env, const std::string& leg)
{
    CiContext c;
    if (underGitHubRunner(env))
        github(env, c);
    else if (env.getOr("GITLAB_CI", "") == "true")
        gitlab(env, c);
    else
        c.session = "local:" + Poco::Environment::nodeName() + ":" + std::to_string(::getuid());
    c.gha.token = env.getOr("ACTIONS_RUNTIME_TOKEN", "");
    const std::string v2 = env.getOr("ACTIONS_CACHE_SERVICE_V2", "");
    c.gha.v2 = v2 == "true" || v2 == "1" || v2 == "True" || v2 == "TRUE" || v2 == "t";
    c.gha.url = env.getOr("ACTIONS_CACHE_URL", env.getOr("ACTIONS_RESULTS_URL", ""));
    if (c.gha.v2)
        c.gha.urlV2 = env.getOr("ACTIONS_RESULTS_URL", "");
    if (c.provider == Provider::GitLab && env.has("CI_REGISTRY") && env.has("CI_REGISTRY_USER") &&
        env.has("CI_REGISTRY_PASSWORD"))
    {
        c.registry = {*env.get("CI_REGISTRY"), *env.get("CI_REGISTRY_USER"),
                      *env.get("CI_REGISTRY_PASSWORD")};
        base::Redactor::instance().add(c.registry.password);
    }
    base::Redactor::instance().add(c.gha.token);
    if (c.provider == Provider::GitHub)
        c.workspace = env.getOr("GITHUB_WORKSPACE", "");
    else if (c.provider == Provider::GitLab)
        c.workspace = env.getOr("CI_PROJECT_DIR", "");
    if (c.provider == Provider::GitHub)
        c.githubFiles = {env.getOr("GITHUB_OUTPUT", ""), env.getOr("GITHUB_STEP_SUMMARY", ""),
                         env.getOr("GITHUB_STATE", ""), env.getOr("GITHUB_ENV", "")};
    if (c.source.refSlug.empty())
        c.source.refSlug = slug(c.source.refName);
    c.labels["dev.hoist.ci"] = c.providerName();
    if (!c.runUrl.empty())
        c.labels["dev.hoist.run-url"] = c.runUrl;
    if (!leg.empty() && c.provider != Provider::Local)
    {
        const std::string name = legName(leg);
        c.session += "/" + name;
        c.jobKey += "/" + name;
        c.labels["dev.hoist.ci-leg"] = name;
    }
    return c;
}

} // namespace hoist::ci
