#pragma once

#include "cli/OptionTable.h"

#include <string>

namespace hoist::cli
{

/// Renders help text from the option table, so help can never drift from what is parsed.
class Help
{
public:
    /// Help for hoist as a whole: usage, the implemented commands, the global options.
    static std::string overview(const OptionTable& table);

    /// Help for one command: usage, summary, its options with their HOIST_* variables and
    /// defaults. Throws base::UsageException for an unknown or unimplemented command.
    static std::string command(const OptionTable& table, const std::string& name);
};

} // namespace hoist::cli
