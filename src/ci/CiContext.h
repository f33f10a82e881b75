#pragma once

#include "base/Env.h"
#include "base/Problem.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist::ci
{

/// The CI system hoist runs in, and what it tells about the run.
struct CiContext
{
    enum class Provider
    {
        Local,
        GitHub,
        GitLab
    };

    Provider provider = Provider::Local;
    std::string session; /// identifies this job: builders it makes are its own to remove
    std::string runUrl;  /// the run's web page, when known
    /// The provenance builder id the CI's own tooling uses: on GitHub the run and its attempt,
    /// as docker/build-push-action sets it; the job's page on GitLab.
    std::string builderId;
    /// The repository's git context as docker/build-push-action builds it when given none
    /// ("<server>/<owner>/<repo>.git#<commit>"), and the server's host for its token's secret
    /// (GIT_AUTH_TOKEN.<host>); empty outside GitHub.
    std::string gitContext;
    std::string gitHost;
    /// Whether the repository is private, when the CI says (GitHub's event payload).
    std::optional<bool> repositoryPrivate;
    std::string jobKey;    /// the CI project and job, e.g. "octo/demo/build", "" outside CI
    std::string workspace; /// the checkout (GITHUB_WORKSPACE, CI_PROJECT_DIR); "" outside CI

    /// What the CI says about the source being built (empty fields when it says nothing).
    struct Source
    {
        std::string repoUrl; /// e.g. https://github.com/octo/demo
        std::string sha;     /// the full commit
        std::string refName; /// branch or tag name
        std::string refSlug; /// refName as a registry tag: lower case, [a-z0-9._-], 63 at most
        std::string
            commitTime; /// ISO 8601, when known (CI_COMMIT_TIMESTAMP, the event's head commit)
        std::string
            imageName; /// the CI's own image name: $CI_REGISTRY_IMAGE, ghcr.io/<owner>/<repo>
        std::string defaultRefSlug; /// the default branch as a registry tag (GitLab), or ""
        /// The image tag the CI implies: on GitLab as its Docker template tags (the git tag
        /// on a tag pipeline, latest on the default branch), else refSlug.
        std::string imageTag;
    } source;
    /// Whether the run is for a pull request (GitHub) or a merge request (GitLab).
    bool changeRequest = false;
    /// Whether the engine lives only as long as the job: GitLab's docker:dind service (the job's
    /// DOCKER_HOST names the service "docker", or dind's port on localhost as on Kubernetes).
    bool ephemeralEngine = false;
    std::map<std::string, std::string> labels; /// put on builders: provider, run URL

    /// GitHub's cache service, for type=gha caches: buildctl runs in the builder, so these go
    /// to it explicitly.
    struct GhaCache
    {
        std::string url;   /// ACTIONS_CACHE_URL
        std::string urlV2; /// ACTIONS_RESULTS_URL, when the v2 service is on
        std::string token; /// ACTIONS_RUNTIME_TOKEN (a secret)
        bool v2 = false;
    } gha;

    /// The CI's own registry login (GitLab: CI_REGISTRY, CI_REGISTRY_USER,
    /// CI_REGISTRY_PASSWORD); empty host when there is none. The password is registered with the
    /// Redactor.
    struct Registry
    {
        std::string host;
        std::string user;
        std::string password;
    } registry;
    /// Every login the CI gives a job: its registry's, then GitLab's dependency proxy
    /// (CI_DEPENDENCY_PROXY_SERVER, _USER, _PASSWORD); passwords registered with the Redactor.
    std::vector<Registry> logins;

    /// GitHub's per-step files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, GITHUB_ENV);
    /// empty outside GitHub Actions.
    struct GitHubFiles
    {
        std::string output;
        std::string summary;
        std::string state;
        std::string env;
    } githubFiles;

    /// docker/build-push-action's switches, which hoist honours the same way on GitHub:
    /// DOCKER_BUILD_SUMMARY (the job summary), DOCKER_BUILD_CHECKS_ANNOTATIONS (annotations for
    /// the Dockerfile's check warnings), DOCKER_BUILD_RECORD_UPLOAD (hoist uploads no build
    /// record either way). A value that is not a boolean is a problem, as for the action.
    bool jobSummary = true;
    bool checkAnnotations = true;
    base::Problems switchProblems;           /// switch variables that are not booleans
    std::vector<std::string> switchWarnings; /// switch variables that have no effect here

    /// Returns the builder name to use when none is given: stable across runs of one CI job (so
    /// its kept state warms the next run) and different between jobs ("gh-<repo>-<job>",
    /// "gl-<project>-<job>"); "hoist" outside CI.
    std::string defaultBuilder() const;

    /// Returns "local", "github" or "gitlab".
    std::string providerName() const;

    /// Reads the context from env: GitHub Actions when GITHUB_ACTIONS=true, GitLab CI when
    /// GITLAB_CI=true, else local (session from the host and user).
    /// leg tells the legs of a matrix job apart: it goes into the session and the job key
    /// (so the default builder name and cache scope), made a name first.
    static CiContext detect(const base::Env& env, const std::string& leg = "");

    /// Returns true when this process runs in a CI job (GitHub Actions, GitLab CI, or any CI
    /// that sets CI=true): its output is a log, whatever the terminal it is given.
    static bool inJob(const base::Env& env);

    /// Returns true when this process runs as a GitHub Actions step (its runner reads
    /// workflow commands from what the step prints).
    static bool underGitHubRunner(const base::Env& env);
};

} // namespace hoist::ci
