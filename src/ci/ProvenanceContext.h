#pragma once

#include "base/Env.h"

#include <functional>
#include <optional>
#include <string>

namespace hoist::ci
{

/// The CI context BuildKit adds to provenance attestations, read by buildkitd at start from
/// /etc/buildkit/provenance.d/*.json (BuildKit ≥ v0.25).
class ProvenanceContext
{
public:
    /// The file name under provenance.d for GitHub Actions, as buildx writes it.
    static constexpr const char* GITHUB_FILE = "provenance.d/github_actions_context.json";
    /// The file name under provenance.d for GitLab CI.
    static constexpr const char* GITLAB_FILE = "provenance.d/gitlab_ci_context.json";

    /// Returns the GitHub Actions context exactly as buildx's ghutil writes it (reference
    /// §7.1): nothing unless GITHUB_ACTIONS is true and GITHUB_EVENT_NAME and
    /// GITHUB_EVENT_PATH are set; the event payload and every key group whose variables are all
    /// set; compact JSON with sorted keys. The event file is read with read (this machine's
    /// files by default). Throws base::ConfigException when the event file cannot be read or
    /// is not a JSON object.
    static std::optional<std::string>
    github(const base::Env& env,
           const std::function<std::string(const std::string& path)>& read = nullptr);

    /// Returns the GitLab CI equivalent: nothing unless GITLAB_CI is true; then gitlab_* keys
    /// in all-or-nothing groups (server, project, pipeline, job, commit, ref, runner) from the
    /// CI_* variables; compact JSON with sorted keys. Never holds a token.
    static std::optional<std::string> gitlab(const base::Env& env);
};

} // namespace hoist::ci
