// This file implements CI detection: what GitHub Actions' or GitLab CI's variables and GitHub's
// event payload tell about the run (session, source, gha cache, the CI's registry login), the
// matrix leg, and the default builder name.

#include "ci/CiContext.h"

#include "base/Strings.h"

#include "base/Redactor.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

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

// The actions toolkit's parseBool: 1, t, true, 0, f, false in any case; unset or empty gives
// byDefault.
bool actionSwitch(const base::Env& env, const std::string& name, CiContext& c,
                  bool byDefault = true)
{
    const std::string v = Poco::toLower(env.getOr(name, ""));
    if (v.empty())
        return byDefault;
    if (v == "1" || v == "t" || v == "true")
        return true;
    if (v == "0" || v == "f" || v == "false")
        return false;
    c.switchProblems.push_back(
        {name,
         name + "=\"" + env.getOr(name, "") + "\" is not true or false (1, t, true, 0, f, false)",
         ""});
    return byDefault;
}

// build-push-action's switches for what it does beside the build: the job summary (and the
// deprecated DOCKER_BUILD_NO_SUMMARY, which wins), the checks' annotations, and the build record
// upload, which hoist does not do yet: asking for it, or for its retention, is refused.
void buildPushSwitches(const base::Env& env, CiContext& c)
{
    c.jobSummary = env.getOr("DOCKER_BUILD_NO_SUMMARY", "").empty()
                       ? actionSwitch(env, "DOCKER_BUILD_SUMMARY", c)
                       : !actionSwitch(env, "DOCKER_BUILD_NO_SUMMARY", c, false);
    c.checkAnnotations = actionSwitch(env, "DOCKER_BUILD_CHECKS_ANNOTATIONS", c);
    const bool upload = actionSwitch(env, "DOCKER_BUILD_RECORD_UPLOAD", c);
    const std::string notYet = "hoist does not export and upload build records (the .dockerbuild "
                               "artifact) yet";
    if (upload && !env.getOr("DOCKER_BUILD_RECORD_UPLOAD", "").empty())
        c.switchProblems.push_back({"DOCKER_BUILD_RECORD_UPLOAD",
                                    "DOCKER_BUILD_RECORD_UPLOAD=" +
                                        env.getOr("DOCKER_BUILD_RECORD_UPLOAD", "") + ": " + notYet,
                                    "set it to false, or leave it unset"});
    // A retention set for every repository, the upload left at its default: said to have no
    // effect.
    for (const char* days :
         {"DOCKER_BUILD_RECORD_RETENTION_DAYS", "DOCKER_BUILD_EXPORT_RETENTION_DAYS"})
    {
        if (upload && !env.getOr(days, "").empty())
            c.switchWarnings.push_back(std::string(days) + " has no effect: " + notYet);
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
    if (head && actionSwitch(env, "DOCKER_DEFAULT_GIT_CONTEXT_PR_HEAD_REF", c, false))
        c.gitContext = c.gitContext.substr(0, c.gitContext.find('#') + 1) +
                       head->optValue<std::string>("sha", "");
    auto repo = e->getObject("repository");
    if (repo && repo->has("private") && repo->get("private").isBoolean())
        c.repositoryPrivate = repo->getValue<bool>("private");
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

// Whether the job's engine is a docker:dind service, new each job: DOCKER_HOST names the
// service "docker", or a dind port (2375, 2376) on this host (a Kubernetes executor's services
// share the job's network), or it is unset with dind's certificate directory set and no local
// socket (as the docker image's entrypoint, and hoist, then pick tcp://docker:2376).
bool dindEngine(const base::Env& env)
{
    const std::string host = env.getOr("DOCKER_HOST", "");
    if (host.empty())
        return env.has("DOCKER_TLS_CERTDIR") && !Poco::File("/var/run/docker.sock").exists();
    if (!base::startsWith(host, "tcp://"))
        return false;
    std::string address = host.substr(6);
    address = address.substr(0, address.find('/'));
    const auto colon = address.rfind(':');
    const std::string name = address.substr(0, colon);
    const std::string port = colon == std::string::npos ? "" : address.substr(colon + 1);
    return name == "docker" ||
           ((name == "localhost" || name == "127.0.0.1") && (port == "2375" || port == "2376"));
}

void github(const base::Env& env, CiContext& c)
{
    buildPushSwitches(env, c);
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
    // As GitLab's Docker template tags: the git tag (when it is a valid image tag), latest on
    // the default branch.
    const std::string tag = env.getOr("CI_COMMIT_TAG", "");
    const std::string branch = env.getOr("CI_COMMIT_BRANCH", "");
    static const Poco::RegularExpression IMAGE_TAG("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    if (IMAGE_TAG.match(tag))
        c.source.imageTag = tag;
    else if (!branch.empty() && branch == env.getOr("CI_DEFAULT_BRANCH", ""))
        c.source.imageTag = "latest";
    c.changeRequest = env.has("CI_MERGE_REQUEST_IID") ||
                      env.getOr("CI_PIPELINE_SOURCE", "") == "merge_request_event";
    c.ephemeralEngine = dindEngine(env);
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
        c.logins.push_back(c.registry);
    }
    if (c.provider == Provider::GitLab && env.has("CI_DEPENDENCY_PROXY_SERVER") &&
        env.has("CI_DEPENDENCY_PROXY_USER") && env.has("CI_DEPENDENCY_PROXY_PASSWORD"))
    {
        c.logins.push_back({*env.get("CI_DEPENDENCY_PROXY_SERVER"),
                            *env.get("CI_DEPENDENCY_PROXY_USER"),
                            *env.get("CI_DEPENDENCY_PROXY_PASSWORD")});
        base::Redactor::instance().add(c.logins.back().password);
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
    if (c.source.imageTag.empty())
        c.source.imageTag = c.source.refSlug;
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
