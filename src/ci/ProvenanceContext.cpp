// This file implements the provenance context files: GitHub's exactly as buildx's
// util/ghutil does, and GitLab's in the same shape.

#include "ci/ProvenanceContext.h"

#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <utility>
#include <vector>

namespace hoist::ci
{

namespace
{

using Group = std::vector<std::pair<const char*, const char*>>; // key, variable

// Adds every key of group when all of its variables are set, else none of them.
void addGroup(Poco::JSON::Object& out, const base::Env& env, const Group& group)
{
    for (const auto& [key, var] : group)
    {
        if (!env.has(var))
            return;
    }
    for (const auto& [key, var] : group)
        out.set(key, *env.get(var));
}

std::string compact(const Poco::JSON::Object& obj)
{
    std::ostringstream out;
    obj.stringify(out);
    return out.str();
}

bool goTrue(const std::string& v)
{
    return v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True";
}

} // namespace

std::optional<std::string>
ProvenanceContext::github(const base::Env& env,
                          const std::function<std::string(const std::string& path)>& read)
{
    if (!goTrue(env.getOr("GITHUB_ACTIONS", "")) || !env.has("GITHUB_EVENT_NAME") ||
        !env.has("GITHUB_EVENT_PATH"))
        return std::nullopt;
    const std::string path = *env.get("GITHUB_EVENT_PATH");
    std::string text;
    try
    {
        text = read ? read(path) : base::readFile(path);
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException("failed to read GITHUB_EVENT_PATH " + base::quoted(path) +
                                    ": " + e.displayText() +
                                    "\nhint: provenance-add-gha=false skips the GitHub context");
    }
    Poco::JSON::Object::Ptr payload;
    try
    {
        payload = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        throw base::ConfigException("failed to unmarshal GitHub event payload from " +
                                    base::quoted(path));
    }

    Poco::JSON::Object out; // std::map inside: keys come out sorted, as Go's json does
    out.set("github_event_name", *env.get("GITHUB_EVENT_NAME"));
    out.set("github_event_payload", payload);
    addGroup(out, env,
             {{"github_actor", "GITHUB_ACTOR"},
              {"github_actor_id", "GITHUB_ACTOR_ID"},
              {"github_triggering_actor", "GITHUB_TRIGGERING_ACTOR"}});
    addGroup(out, env,
             {{"github_ref", "GITHUB_REF"},
              {"github_ref_name", "GITHUB_REF_NAME"},
              {"github_ref_protected", "GITHUB_REF_PROTECTED"},
              {"github_ref_type", "GITHUB_REF_TYPE"}});
    addGroup(out, env,
             {{"github_repository", "GITHUB_REPOSITORY"},
              {"github_repository_id", "GITHUB_REPOSITORY_ID"},
              {"github_repository_owner", "GITHUB_REPOSITORY_OWNER"},
              {"github_repository_owner_id", "GITHUB_REPOSITORY_OWNER_ID"}});
    addGroup(out, env,
             {{"github_job", "GITHUB_JOB"},
              {"github_run_attempt", "GITHUB_RUN_ATTEMPT"},
              {"github_run_id", "GITHUB_RUN_ID"},
              {"github_run_number", "GITHUB_RUN_NUMBER"},
              {"github_server_url", "GITHUB_SERVER_URL"},
              {"github_workflow", "GITHUB_WORKFLOW"},
              {"github_workflow_ref", "GITHUB_WORKFLOW_REF"},
              {"github_workflow_sha", "GITHUB_WORKFLOW_SHA"}});
    addGroup(out, env,
             {{"github_runner_image_os", "ImageOS"},
              {"github_runner_image_version", "ImageVersion"},
              {"github_runner_os", "RUNNER_OS"},
              {"github_runner_arch", "RUNNER_ARCH"},
              {"github_runner_environment", "RUNNER_ENVIRONMENT"},
              {"github_runner_tracking_id", "RUNNER_TRACKING_ID"},
              {"github_runner_name", "RUNNER_NAME"}});
    return compact(out);
}

std::optional<std::string> ProvenanceContext::gitlab(const base::Env& env)
{
    if (env.getOr("GITLAB_CI", "") != "true")
        return std::nullopt;
    Poco::JSON::Object out;
    addGroup(
        out, env,
        {{"gitlab_server_url", "CI_SERVER_URL"}, {"gitlab_server_version", "CI_SERVER_VERSION"}});
    addGroup(out, env,
             {{"gitlab_project_id", "CI_PROJECT_ID"},
              {"gitlab_project_path", "CI_PROJECT_PATH"},
              {"gitlab_project_url", "CI_PROJECT_URL"},
              {"gitlab_project_visibility", "CI_PROJECT_VISIBILITY"}});
    addGroup(out, env,
             {{"gitlab_pipeline_id", "CI_PIPELINE_ID"},
              {"gitlab_pipeline_iid", "CI_PIPELINE_IID"},
              {"gitlab_pipeline_source", "CI_PIPELINE_SOURCE"},
              {"gitlab_pipeline_url", "CI_PIPELINE_URL"}});
    addGroup(out, env,
             {{"gitlab_job_id", "CI_JOB_ID"},
              {"gitlab_job_name", "CI_JOB_NAME"},
              {"gitlab_job_stage", "CI_JOB_STAGE"},
              {"gitlab_job_url", "CI_JOB_URL"}});
    addGroup(out, env,
             {{"gitlab_commit_sha", "CI_COMMIT_SHA"},
              {"gitlab_commit_before_sha", "CI_COMMIT_BEFORE_SHA"}});
    addGroup(out, env,
             {{"gitlab_commit_ref_name", "CI_COMMIT_REF_NAME"},
              {"gitlab_commit_ref_protected", "CI_COMMIT_REF_PROTECTED"}});
    addGroup(out, env, {{"gitlab_commit_tag", "CI_COMMIT_TAG"}});
    addGroup(out, env,
             {{"gitlab_user_id", "GITLAB_USER_ID"}, {"gitlab_user_login", "GITLAB_USER_LOGIN"}});
    addGroup(out, env,
             {{"gitlab_runner_id", "CI_RUNNER_ID"},
              {"gitlab_runner_description", "CI_RUNNER_DESCRIPTION"},
              {"gitlab_runner_version", "CI_RUNNER_VERSION"}});
    return compact(out);
}

} // namespace hoist::ci
