#pragma once

#include <map>
#include <string>
#include <vector>

namespace hoist::cli
{

/// Where a value came from; `hoist plan` shows it next to every resolved value.
enum class Origin
{
    Default, /// the option table's default
    Env,     /// a HOIST_* environment variable
    Input,   /// a GitHub action input (INPUT_*)
    Flag     /// the command line
};

/// The values of one option, with where they came from.
struct OptionValue
{
    std::vector<std::string> values; /// one for Single and Flag options, in order for List
    Origin origin = Origin::Default;
    std::string source; /// e.g. "--builder", "HOIST_BUILDER", or "" for a default
};

/// What the user asked for: the command, its positional arguments and every option value
/// (given or defaulted), each with its origin. Nothing derived from CI or the engine. The
/// modules read it typed (Options::from); reading a name the option table does not have
/// throws std::logic_error.
class ParsedCommand
{
public:
    /// A parsed command line for command.
    explicit ParsedCommand(std::string command = "");

    /// Returns the command name, e.g. "setup".
    const std::string& command() const;

    /// Returns the positional arguments after the command.
    const std::vector<std::string>& positionals() const;

    /// Returns true when the option has a value (given or defaulted).
    bool has(const std::string& option) const;

    /// Returns the last value of the option, or "" when it has none.
    std::string get(const std::string& option) const;

    /// Returns every value of the option, in order.
    std::vector<std::string> getList(const std::string& option) const;

    /// Returns the option as a boolean (validated by the parser; false when unset).
    bool getBool(const std::string& option) const;

    /// Returns where the option's value came from (Default when unset).
    Origin origin(const std::string& option) const;

    /// Returns the option as the user gave it, to name it in a problem: "--tag" (also for a
    /// default), "HOIST_TAG" or "the action input tags".
    std::string givenAs(const std::string& option) const;

    /// Returns all values by option name.
    const std::map<std::string, OptionValue>& values() const;

    /// Returns warnings found while parsing (e.g. a likely misspelt HOIST_* variable).
    const std::vector<std::string>& warnings() const;

    void setCommand(const std::string& command);
    void addPositional(const std::string& arg);
    void set(const std::string& option, OptionValue value);
    void append(const std::string& option, const std::string& value, Origin origin,
                const std::string& source);
    void addWarning(const std::string& warning);

private:
    std::string _command;
    std::vector<std::string> _positionals;
    std::map<std::string, OptionValue> _values;
    std::vector<std::string> _warnings;
};

} // namespace hoist::cli
