#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hoist::cli
{

struct Options;     // cli/Options.h: the typed options every option is bound to
struct OptionValue; // cli/ParsedCommand.h
struct Source;
template <class T>
struct Given;

/// The buildx commands `hoist plan` shows, for the options that pass to them as they are.
enum class BuildxCommand
{
    None,
    Create, /// docker buildx create
    Build   /// docker buildx build
};

/// How an option takes its value.
enum class ValueKind
{
    Flag,   /// a boolean: --push, --push=false; from the environment "true"/"false"
    Single, /// one value; the last one given wins
    List    /// repeatable; every value kept in order (from the environment: one a line)
};

/// Checks one value of an option; returns "" when it is fine, else what is wrong with it
/// and the accepted form (the caller adds the option's name).
using Validator = std::function<std::string(const std::string& value)>;

/// One row of the option table: everything hoist knows about an option.
struct OptionSpec
{
    std::string name;                 /// long name without dashes, e.g. "builder"
    std::vector<std::string> aliases; /// other long names, e.g. "name"
    char shortName = 0;               /// one-letter form, e.g. 't'; 0 for none
    ValueKind kind = ValueKind::Single;
    std::string placeholder;           /// the value's name in help, e.g. "NAME"
    std::string help;                  /// one sentence for --help
    std::vector<std::string> commands; /// commands that take it; empty means every command
    std::string defaultValue;          /// shown in help and used when nothing else sets it
    Validator validate;                /// checks each value; may be empty
    bool machineFile = false; /// names a file on this machine: not part of a captured CI context
    /// A GitHub action input that also sets the option.
    struct Input
    {
        std::string name; /// e.g. "driver-opts"
        bool csv = false; /// its items may also be comma-separated
        /// Turns one item into this option's form (e.g. secret-envs "k=VAR" into
        /// "id=k,env=VAR"); may be empty.
        std::function<std::string(const std::string&)> transform;
        bool quotes = true; /// double quotes group a field (the toolkit's default)
        bool whole = false; /// one item, the text as it is (a JSON document)
        bool trim = true;   /// items trimmed of white space (the toolkit's default)

        /// Returns its environment variable: INPUT_<NAME>, upper-cased, hyphens kept.
        std::string envName() const;
    };
    std::vector<Input> inputs;
    /// Variables of docker's tools that also set the option, after HOIST_<NAME> and the
    /// action inputs (BUILDX_BUILDER, BUILDKIT_PROGRESS).
    std::vector<std::string> dockerEnv;
    /// Copy the option's parsed value into its typed members of Options (see into()).
    std::vector<std::function<void(Options&, const OptionValue&)>> assigns;
    /// Returns how the user gave the option, from its (first) typed member (see into()).
    std::function<const Source&(const Options&)> sourceIn;
    BuildxCommand buildx = BuildxCommand::None; /// the buildx command it passes to as it is
    /// A legacy `docker build` flag buildx still takes, hidden from its help: its value goes to
    /// the option feeds as prefix + value; with feeds empty, BuildKit does what it asks anyway
    /// (refusal empty) or cannot do it at all (refusal: why, and what to do instead).
    struct Legacy
    {
        std::string feeds;
        std::string prefix;
        std::string refusal;
    };
    std::optional<Legacy> legacy; /// set for a legacy flag: no variable, no action input

    /// Returns an option taking one value.
    static OptionSpec single(std::string name, std::string placeholder, std::string help);
    /// Returns a repeatable option.
    static OptionSpec list(std::string name, std::string placeholder, std::string help);
    /// Returns a boolean flag (default false).
    static OptionSpec flag(std::string name, std::string help);

    /// Returns a legacy `docker build` option whose value becomes prefix + value of option.
    static OptionSpec legacyFeeding(std::string name, std::string placeholder, std::string option,
                                    std::string prefix);
    /// Returns a legacy `docker build` flag that asks for what BuildKit does anyway.
    static OptionSpec legacyHonoured(std::string name);
    /// Returns a legacy `docker build` option BuildKit cannot honour, refused with why.
    static OptionSpec legacyRefused(std::string name, ValueKind kind, std::string why);

    /// Adds another long name.
    OptionSpec& alias(std::string name);
    /// Sets the one-letter form.
    OptionSpec& letter(char c);
    /// Restricts the option to these commands.
    OptionSpec& only(std::vector<std::string> commandNames);
    /// Sets the default value.
    OptionSpec& byDefault(std::string value);
    /// Sets the value check.
    OptionSpec& checkedBy(Validator validator);
    /// Adds a variable docker's tools read for the same setting (see dockerEnv).
    OptionSpec& alsoEnv(std::string name);
    /// Marks it as naming a file on this machine (left out of a CI capture).
    OptionSpec& onThisMachine();
    /// Adds a GitHub action input that also sets this option (INPUT_<NAME>, hyphens kept).
    OptionSpec& fromAction(std::string inputName, bool csv = false,
                           std::function<std::string(const std::string&)> transform = {});
    /// Reads the last action input added without treating double quotes specially (as
    /// build-push-action reads `outputs`).
    OptionSpec& unquoted();
    /// Reads the last action input added keeping white space around its items (as
    /// build-push-action reads `secrets`: a trailing newline in one is data).
    OptionSpec& untrimmed();
    /// Reads the last action input added as one item, newlines and all (toJSON output).
    OptionSpec& whole();
    /// Binds the option to its typed member: (options.*group).*member gets its value and how it
    /// was given; the only way any module reads it. An option of several commands may be bound
    /// to a member of each group that has it. Defined in cli/OptionBinding.h.
    template <class Group, class T>
    OptionSpec& into(Group Options::*group, Given<T> Group::*member);
    /// Passes the option to `docker buildx COMMAND` as it was given, in `hoist plan`'s listing.
    OptionSpec& toBuildx(BuildxCommand command);

    /// Returns the environment variable that also sets this option: HOIST_<NAME>.
    std::string envName() const;

    /// Returns true when command takes this option.
    bool appliesTo(const std::string& command) const;
};

/// An input of docker's actions that no hoist option takes: accepted only with one of its
/// harmless values (empty, the one hoist does anyway), refused otherwise, never ignored.
struct RefusedInput
{
    std::string name;                  /// e.g. "ssh"
    std::vector<std::string> commands; /// the commands whose action declares it
    std::vector<std::string> accepted; /// values that change nothing ("" always)
    std::string why;                   /// what to do instead, for the message
    bool secret = false;               /// its value holds secrets: never echoed

    /// Returns its environment variable: INPUT_<NAME>, upper-cased, hyphens kept.
    std::string envName() const;
};

/// One row of the command table.
struct CommandSpec
{
    std::string name;    /// e.g. "setup"
    std::string args;    /// positional arguments in help, e.g. "[CONTEXT]"; "" for none
    std::string summary; /// one line for the command list
    bool implemented;    /// false: listed nowhere, and running it says "not supported yet"
};

} // namespace hoist::cli
