#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "buildrun/BuildRequest.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "plan/FileView.h"

#include <string>
#include <vector>

namespace hoist::plan
{

/// Where a secret's value is on this machine; the preparation step reads it.
struct SecretSource
{
    std::string id;
    std::string env;        /// the variable that holds it, or ""
    std::string file;       /// the file that holds it, or ""
    bool fromInput = false; /// build-push-action's `secrets` input holds its value
    std::string option;     /// how the user gave the secret, for messages
};

/// Where an ssh forwarding's agent or keys are on this machine; the preparation step reads the
/// keys.
struct SshSource
{
    std::string id;
    std::string socket;                /// an agent's socket, or ""
    std::vector<std::string> keyFiles; /// private key files, or none
    std::string option;                /// how the user gave it, for messages
};

/// What a build will do, decided from its options, the CI context and the files it names,
/// with buildx's meanings (--push, --load, type=registry, gha cache from the CI, provenance
/// as docker/build-push-action sets it). Pure: reads nothing but the file view.
struct BuildPlan
{
    buildrun::BuildRequest request; /// all but the secrets' values
    std::vector<SecretSource> secrets;
    std::vector<SshSource> ssh;
    std::string ignoreFile;              /// the .dockerignore that applies ("" for none)
    std::vector<std::string> warnings;   /// said before the build
    std::vector<std::string> ciDefaults; /// what the CI defaults added, for plan and the log
};

/// Returns the plan; appends every problem with the options, naming each as the user gave it.
BuildPlan planBuild(const cli::BuildOptions& options, const ci::CiContext& ci, const base::Env& env,
                    const FileView& files, base::Problems& problems);

/// The steps of planBuild, in its order; each appends its problems.
namespace steps
{

/// The context (a directory, or a git/https URL BuildKit fetches; build-push-action's
/// {{defaultContext}} expanded), the Dockerfile (inside or outside it) and the .dockerignore
/// that applies (<Dockerfile>.dockerignore first, as BuildKit reads them).
void context(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
             BuildPlan& p, base::Problems& problems);

/// Returns value with build-push-action's {{defaultContext}} replaced by the repository's
/// git context; appends a problem naming what when there is none (outside GitHub).
std::string expandDefaultContext(const std::string& value, const ci::CiContext& ci,
                                 const std::string& what, base::Problems& problems);

/// Target, platforms, build arguments (KEY alone from the environment), labels, annotations,
/// tags.
void inputs(const cli::BuildOptions& o, const base::Env& env, BuildPlan& p,
            base::Problems& problems);

/// In CI with --ci-defaults: tags from the ref and commit for an image pushed or loaded without
/// tags, OCI source labels.
void ciTagsAndLabels(const cli::BuildOptions& o, const ci::CiContext& ci, BuildPlan& p);

/// --source-date-epoch: SOURCE_DATE_EPOCH from the commit time. Returns true when image
/// timestamps are to be rewritten.
bool sourceDateEpoch(const cli::BuildOptions& o, const ci::CiContext& ci, BuildPlan& p,
                     base::Problems& problems);

/// --output values, then --push and --load; annotations and timestamp rewriting on the
/// image-making ones.
void outputs(const cli::BuildOptions& o, const FileView& files, bool rewriteTimestamps,
             BuildPlan& p, base::Problems& problems);

/// --cache-from and --cache-to; with none given in CI, the cache that works there.
void caches(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
            BuildPlan& p, base::Problems& problems);

/// --secret values: where each secret is (a variable or a file, buildctl's rule when neither
/// is named); on GitHub, build-push-action's token for the repository's own git context.
void secrets(const cli::BuildOptions& o, const ci::CiContext& ci, const base::Env& env,
             const FileView& files, BuildPlan& p, base::Problems& problems);

/// Provenance and SBOM attestations (--provenance, --sbom, --attest): buildx's defaults, and
/// docker/build-push-action's on GitHub (mode by the repository's visibility, the run attempt
/// as builder id); none by default with BUILDX_NO_DEFAULT_ATTESTATIONS. Runs after outputs.
void attestations(const cli::BuildOptions& o, const ci::CiContext& ci, const base::Env& env,
                  BuildPlan& p, base::Problems& problems);

/// --no-cache, --pull, --add-host, --network, --build-context, --metadata-file, --iidfile,
/// and the registries the build talks to.
void settings(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
              BuildPlan& p, base::Problems& problems);

/// --ssh: agents and key files (SSH_AUTH_SOCK for an id without paths); the default agent for
/// a git context over ssh, as buildx forwards it. Runs after context.
void ssh(const cli::BuildOptions& o, const base::Env& env, const FileView& files, BuildPlan& p,
         base::Problems& problems);

/// The environment buildx reads for a build: BUILDX_METADATA_WARNINGS.
void buildxEnvironment(const base::Env& env, BuildPlan& p, base::Problems& problems);

/// --allow, --shm-size, --ulimit, --cgroup-parent, --no-cache-filter, --call and --check.
void runSettings(const cli::BuildOptions& o, BuildPlan& p, base::Problems& problems);

} // namespace steps

} // namespace hoist::plan
