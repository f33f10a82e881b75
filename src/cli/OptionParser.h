#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/OptionTable.h"
#include "cli/ParsedCommand.h"

#include <string>
#include <vector>

namespace hoist::cli
{

/// Turns argv and the environment into a ParsedCommand. Precedence: command line, then
/// HOIST_<NAME>, then the table's default. Every problem is collected before anything is
/// reported, so the user sees all of them at once.
class OptionParser
{
public:
    /// A parser over table, reading HOIST_* variables from env.
    OptionParser(const OptionTable& table, const base::Env& env);

    /// Parses args (argv without the program name). With no command, or with --help and no
    /// command, the command is "help"; --version alone is the command "version".
    /// Throws base::UsageException, one problem a line, when anything is wrong.
    ParsedCommand parse(const std::vector<std::string>& args) const;

    /// Parses like parse(), but appends the problems with options and arguments to problems
    /// instead of throwing, so the caller can add its own checks and report all at once.
    /// Still throws base::UsageException for an unknown command.
    ParsedCommand parse(const std::vector<std::string>& args, base::Problems& problems) const;

    /// Returns args without the named options (in any form, with their values) and, when
    /// positionals is true, without the arguments after the command, which stays.
    std::vector<std::string> without(const std::vector<std::string>& args,
                                     const std::vector<std::string>& options,
                                     bool positionals) const;

    /// Throws base::UsageException listing problems (and where to read about the command's
    /// options) when there are any.
    static void throwIfAny(const base::Problems& problems, const std::string& command);

private:
    struct Occurrence
    {
        std::string name;  // as typed, without dashes
        std::string typed; // as typed, e.g. "--tag" or "-t"
        bool hasValue = false;
        std::string value;
        const OptionSpec* spec = nullptr;
        bool positional = false; // an argument after the command, not an option
        std::size_t first = 0;   // its index in args
        std::size_t count = 1;   // how many args it takes
    };

    static std::string problemWith(const OptionSpec& spec, const std::string& value);
    // A legacy docker build flag as typed: its value to the option it feeds, or refused.
    void applyLegacy(const OptionSpec& spec, const std::string& typed, const std::string& value,
                     ParsedCommand& parsed, base::Problems& problems) const;

    std::vector<std::string> expandArgsFrom(const std::vector<std::string>& args,
                                            base::Problems& problems) const;
    void scan(const std::vector<std::string>& args, ParsedCommand& parsed,
              std::vector<Occurrence>& found, base::Problems& problems) const;
    void applyOccurrences(const std::vector<Occurrence>& found, ParsedCommand& parsed,
                          base::Problems& problems) const;
    void applyEnvironment(ParsedCommand& parsed, base::Problems& problems) const;
    bool applyVariable(const OptionSpec& spec, const std::string& env, ParsedCommand& parsed,
                       base::Problems& problems) const;
    bool applyInputs(const OptionSpec& spec, ParsedCommand& parsed, base::Problems& problems) const;
    void refuseInputs(const std::string& command, base::Problems& problems) const;
    void warnTypos(const std::vector<std::string>& envNames, ParsedCommand& parsed) const;
    void checkPositionals(const ParsedCommand& parsed, base::Problems& problems) const;

    const OptionTable& _table;
    const base::Env& _env;
};

} // namespace hoist::cli
