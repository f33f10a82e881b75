#pragma once

#include "base/Env.h"
#include "builder/BuilderSpec.h"
#include "ci/CiContext.h"
#include "cli/ParsedCommand.h"
#include "engine/DockerConfig.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// Turns a command's options and the CI context into the builder to make: pure but for
/// reading the buildkitd config file and its certificates. Problems are collected, not thrown.
class BuilderPlan
{
public:
    /// Returns the spec for cmd's builder; appends every problem with the options to problems.
    static builder::BuilderSpec spec(const cli::ParsedCommand& cmd, const ci::CiContext& ci,
                                     const engine::DockerConfig& docker, const base::Env& env,
                                     std::vector<std::string>& problems);

    /// Returns buildx's store directory: $BUILDX_CONFIG, else <docker config dir>/buildx.
    static std::string buildxDir(const engine::DockerConfig& docker, const base::Env& env);
};

} // namespace hoist::app
