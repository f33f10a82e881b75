#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "builder/BuilderSpec.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "plan/FileView.h"

#include <string>
#include <vector>

namespace hoist::plan
{

/// What the builder is made from, besides its setup options.
struct BuilderContext
{
    std::string name;         /// the builder's name
    std::string buildxDir;    /// buildx's store, where its buildkitd.default.toml may be
    std::string hoistVersion; /// put on the builder's labels
};

/// Returns the builder to make: driver-opts, the buildkitd config (a file, inline TOML, or
/// buildx's default file) with the certificates it names, buildkitd's flags, and the CI's
/// provenance context. Pure given the file view; appends every problem, naming each option
/// as the user gave it.
builder::BuilderSpec planBuilder(const cli::SetupOptions& options, const BuilderContext& context,
                                 const ci::CiContext& ci, const base::Env& env,
                                 const FileView& files, base::Problems& problems);

/// Returns the buildkitd config: a file, inline TOML, or buildx's default file in buildxDir
/// when it exists; appends every problem, naming the option as the user gave it.
builder::BuildkitdConfig buildkitdConfig(const cli::SetupOptions& options,
                                         const std::string& buildxDir, const FileView& files,
                                         base::Problems& problems);

/// Returns buildx's store directory: $BUILDX_CONFIG, else <docker config dir>/buildx.
std::string buildxDir(const base::Env& env, const std::string& dockerConfigDir);

} // namespace hoist::plan
