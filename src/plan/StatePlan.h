#pragma once

#include "base/Problem.h"
#include "builder/BuildkitdConfig.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "state/Snapshot.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hoist::plan
{

/// Where the builder's state comes from and goes (docs/state.md), checked.
struct StatePlan
{
    std::vector<state::Location> from;   /// tried in order; the first with a snapshot fills
    std::optional<state::Location> to;   /// saved to at teardown
    std::uint64_t maxBytes = 2ULL << 30; /// the cache is pruned to this before a save
    std::set<std::string> plainHttp;     /// registry hosts spoken to over http
    std::set<std::string> insecure;      /// registry hosts whose TLS certificate is not verified
    std::map<std::string, std::string> registryCas; /// certificates (PEM) trusted, by host
    std::string defaults; /// why from/to are the CI's defaults ("" when they are not)
};

/// Returns the state plan of options. When neither source nor destination is given, on GitLab
/// with a docker:dind engine and the CI's registry: from `$CI_REGISTRY_IMAGE/hoist-state:<ref
/// slug>` then the default branch's, to the ref's own tag except in merge-request pipelines,
/// which read but do not write. Plain http to the --insecure-registry hosts; to the registries
/// of builder's buildkitd config as it says (http = true, insecure = true). Pure; appends every problem, naming each option as the user
/// gave it.
StatePlan planState(const cli::StateOptions& options, const ci::CiContext& ci,
                    base::Problems& problems,
                    const builder::BuildkitdConfig& builder = builder::BuildkitdConfig());

} // namespace hoist::plan
