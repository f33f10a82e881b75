// This file implements the parsed command: the command, its positionals and each option's
// values with their origin, read by names the option table must know.

#include "cli/ParsedCommand.h"

#include "base/Strings.h"
#include "cli/OptionTable.h"

#include <Poco/String.h>

#include <stdexcept>

namespace hoist::cli
{

namespace
{

// A name the option table does not know is a bug of the caller, never a user's mistake (the
// parser reported those): it must not read as an option left unset.
const std::string& known(const std::string& option)
{
    if (!OptionTable::instance().findLong(option))
        throw std::logic_error("no option named " + option + " in the option table");
    return option;
}

} // namespace

ParsedCommand::ParsedCommand(std::string command) : _command(std::move(command)) {}

const std::string& ParsedCommand::command() const
{
    return _command;
}

const std::vector<std::string>& ParsedCommand::positionals() const
{
    return _positionals;
}

bool ParsedCommand::has(const std::string& option) const
{
    auto it = _values.find(known(option));
    return it != _values.end() && !it->second.values.empty();
}

std::string ParsedCommand::get(const std::string& option) const
{
    auto it = _values.find(known(option));
    if (it == _values.end() || it->second.values.empty())
        return "";
    return it->second.values.back();
}

std::vector<std::string> ParsedCommand::getList(const std::string& option) const
{
    auto it = _values.find(known(option));
    return it == _values.end() ? std::vector<std::string>() : it->second.values;
}

bool ParsedCommand::getBool(const std::string& option) const
{
    bool ok = false;
    return has(option) && base::parseBool(get(option), ok) && ok;
}

Origin ParsedCommand::origin(const std::string& option) const
{
    auto it = _values.find(known(option));
    return it == _values.end() ? Origin::Default : it->second.origin;
}

std::string ParsedCommand::givenAs(const std::string& option) const
{
    auto it = _values.find(known(option));
    if (it != _values.end() && it->second.origin == Origin::Env)
        return it->second.source;
    const std::string input = "INPUT_";
    if (it != _values.end() && it->second.origin == Origin::Input &&
        base::startsWith(it->second.source, input))
        return "the action input " + Poco::toLower(it->second.source.substr(input.size()));
    return "--" + option;
}

const std::map<std::string, OptionValue>& ParsedCommand::values() const
{
    return _values;
}

const std::vector<std::string>& ParsedCommand::warnings() const
{
    return _warnings;
}

void ParsedCommand::setCommand(const std::string& command)
{
    _command = command;
}

void ParsedCommand::addPositional(const std::string& arg)
{
    _positionals.push_back(arg);
}

void ParsedCommand::set(const std::string& option, OptionValue value)
{
    _values[option] = std::move(value);
}

void ParsedCommand::append(const std::string& option, const std::string& value, Origin origin,
                           const std::string& source)
{
    OptionValue& v = _values[option];
    v.values.push_back(value);
    v.origin = origin;
    v.source = source;
}

void ParsedCommand::addWarning(const std::string& warning)
{
    _warnings.push_back(warning);
}

} // namespace hoist::cli
