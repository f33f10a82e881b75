#pragma once

#include "cli/OptionSpec.h"

#include <string>
#include <vector>

namespace hoist::cli
{

/// The one table of hoist's commands and options: names, environment names, help and checks.
/// Every user-facing option name and HOIST_* variable lives here and nowhere else.
class OptionTable
{
public:
    /// Returns the table.
    static const OptionTable& instance();

    /// Returns every command, in the order help lists them.
    const std::vector<CommandSpec>& commands() const;

    /// Returns every option, in the order help lists them.
    const std::vector<OptionSpec>& options() const;

    /// Returns the command named name, or nullptr.
    const CommandSpec* findCommand(const std::string& name) const;

    /// Returns the option whose long name or alias is name (without dashes), preferring the
    /// one command takes when two commands give the name different meanings, and an option's
    /// own name over another's alias; or nullptr.
    const OptionSpec* findLong(const std::string& name, const std::string& command = "") const;

    /// Returns true when name is a buildx option of command that hoist does not support yet.
    bool notYet(const std::string& command, const std::string& name) const;

    /// Returns the names of the options that name files on this machine (a CI capture leaves
    /// them out, a replay writes its own).
    std::vector<std::string> machineFileOptions() const;

    /// Returns the name of the option that replays a captured CI context.
    static const char* replayOption();

    /// Returns the name of the option that captures the CI context.
    static const char* captureOption();

    /// Returns the inputs of docker's actions that hoist refuses unless harmless.
    const std::vector<RefusedInput>& refusedInputs() const;

    /// Returns the option whose short name is c and that command takes, or nullptr.
    const OptionSpec* findShort(char c, const std::string& command) const;

    /// Returns the long names and aliases of every option command takes.
    std::vector<std::string> longNamesFor(const std::string& command) const;

private:
    OptionTable();

    std::vector<CommandSpec> _commands;
    std::vector<OptionSpec> _options;
    std::vector<std::pair<std::string, std::string>> _notYet; // command, option
    std::vector<RefusedInput> _refusedInputs;
};

} // namespace hoist::cli
