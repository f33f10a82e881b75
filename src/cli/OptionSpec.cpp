// This file implements the option table's row builders: the option kinds, their fluent setters
// (aliases, defaults, checks, action inputs, buildx flags), and the HOIST_* and INPUT_* names.

#include "cli/OptionSpec.h"

#include <Poco/String.h>

#include <algorithm>

namespace hoist::cli
{

OptionSpec OptionSpec::single(std::string name, std::string placeholder, std::string help)
{
    OptionSpec o;
    o.name = std::move(name);
    o.kind = ValueKind::Single;
    o.placeholder = std::move(placeholder);
    o.help = std::move(help);
    return o;
}

OptionSpec OptionSpec::list(std::string name, std::string placeholder, std::string help)
{
    OptionSpec o = single(std::move(name), std::move(placeholder), std::move(help));
    o.kind = ValueKind::List;
    return o;
}

OptionSpec OptionSpec::flag(std::string name, std::string help)
{
    OptionSpec o = single(std::move(name), "", std::move(help));
    o.kind = ValueKind::Flag;
    o.defaultValue = "false";
    return o;
}

OptionSpec OptionSpec::legacyFeeding(std::string name, std::string placeholder, std::string option,
                                     std::string prefix)
{
    OptionSpec o = single(std::move(name), std::move(placeholder), "");
    o.legacy = Legacy{std::move(option), std::move(prefix), ""};
    return o;
}

OptionSpec OptionSpec::legacyHonoured(std::string name)
{
    OptionSpec o = flag(std::move(name), "");
    o.legacy = Legacy{};
    return o;
}

OptionSpec OptionSpec::legacyRefused(std::string name, ValueKind kind, std::string why)
{
    OptionSpec o = single(std::move(name), "VALUE", "");
    o.kind = kind;
    o.legacy = Legacy{"", "", std::move(why)};
    return o;
}

OptionSpec& OptionSpec::alias(std::string other)
{
    aliases.push_back(std::move(other));
    return *this;
}

OptionSpec& OptionSpec::letter(char c)
{
    shortName = c;
    return *this;
}

OptionSpec& OptionSpec::only(std::vector<std::string> commandNames)
{
    commands = std::move(commandNames);
    return *this;
}

OptionSpec& OptionSpec::byDefault(std::string value)
{
    defaultValue = std::move(value);
    return *this;
}

OptionSpec& OptionSpec::checkedBy(Validator validator)
{
    validate = std::move(validator);
    return *this;
}

OptionSpec& OptionSpec::fromAction(std::string inputName, bool csv,
                                   std::function<std::string(const std::string&)> transform)
{
    inputs.push_back({std::move(inputName), csv, std::move(transform), true, false});
    return *this;
}

OptionSpec& OptionSpec::unquoted()
{
    inputs.back().quotes = false;
    return *this;
}

OptionSpec& OptionSpec::untrimmed()
{
    inputs.back().trim = false;
    return *this;
}

OptionSpec& OptionSpec::whole()
{
    inputs.back().whole = true;
    return *this;
}

std::string OptionSpec::Input::envName() const
{
    // The runner upper-cases input names and keeps their hyphens: INPUT_DRIVER-OPTS.
    return "INPUT_" + Poco::toUpper(name);
}

OptionSpec& OptionSpec::toBuildx(BuildxCommand command)
{
    buildx = command;
    return *this;
}

OptionSpec& OptionSpec::alsoEnv(std::string name)
{
    dockerEnv.push_back(std::move(name));
    return *this;
}

OptionSpec& OptionSpec::onThisMachine()
{
    machineFile = true;
    return *this;
}

std::string RefusedInput::envName() const
{
    return "INPUT_" + Poco::toUpper(name);
}

std::string OptionSpec::envName() const
{
    std::string env = "HOIST_" + Poco::toUpper(name);
    std::replace(env.begin(), env.end(), '-', '_');
    return env;
}

bool OptionSpec::appliesTo(const std::string& command) const
{
    return commands.empty() ||
           std::find(commands.begin(), commands.end(), command) != commands.end();
}

} // namespace hoist::cli
