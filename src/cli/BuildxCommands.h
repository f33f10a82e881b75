#pragma once

#include "cli/Options.h"

#include <string>
#include <vector>

namespace hoist::cli
{

/// What the CI defaults added to a run, in buildx's terms, for BuildxCommands.
struct BuildxExtras
{
    std::vector<std::string> tags;      /// added when no tag was given
    std::vector<std::string> labels;    /// KEY=VALUE, added
    std::vector<std::string> cacheFrom; /// CSV, added when no cache was given
    std::vector<std::string> cacheTo;   /// CSV, added when no cache was given
};

/// The docker buildx commands that do what `hoist run` does with the same options, for
/// `hoist plan`: hoist's options map onto buildx's flags of the same names.
struct BuildxCommands
{
    std::vector<std::string> binfmt; /// docker run tonistiigi/binfmt (empty: no platform)
    std::vector<std::string> create;
    std::vector<std::string> build;
    std::vector<std::string> rm;

    /// Returns the commands for options (the values the user gave) and what the CI added.
    static BuildxCommands of(const Options& options, const BuildxExtras& extras);

    /// Returns where a value came from, for `hoist plan`: "flag --tag", "env HOIST_TAG",
    /// "action input INPUT_TAGS", "default".
    static std::string originText(const Source& source);
};

} // namespace hoist::cli
