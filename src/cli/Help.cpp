// This file implements the help text rendered from the option table: the overview of commands
// and global options, and one command's usage and options with their HOIST_* variables.

#include "cli/Help.h"

#include "base/Error.h"
#include "base/Strings.h"

#include <sstream>

namespace hoist::cli
{

namespace
{

// The option's line in the help of command ("" for the global options).
std::string optionLine(const OptionTable& table, const OptionSpec& o, const std::string& command)
{
    std::string left = "  ";
    left += o.shortName ? std::string("-") + o.shortName + ", " : "    ";
    left += "--" + o.name;
    for (const auto& a : o.aliases)
    {
        if (table.findLong(a, command) == &o) // not where another option has the name
            left += ", --" + a;
    }
    if (o.kind != ValueKind::Flag)
        left += " " + o.placeholder;
    std::string line = left;
    line += left.size() < 32 ? std::string(32 - left.size(), ' ') : "\n" + std::string(32, ' ');
    line += o.help;
    if (o.name == "help")
        return line;
    std::string extra = "env " + o.envName();
    for (const auto& e : o.dockerEnv)
        extra += " or " + e;
    if (!o.defaultValue.empty() && o.defaultValue != "false")
        extra += ", default " + o.defaultValue;
    if (o.kind == ValueKind::List)
        extra += ", repeatable";
    for (const auto& in : o.inputs)
        extra += ", action input " + in.name;
    line += "\n" + std::string(32, ' ') + "(" + extra + ")";
    return line;
}

} // namespace

std::string Help::overview(const OptionTable& table)
{
    std::ostringstream out;
    out << "hoist - BuildKit builders with docker buildx semantics, one static binary\n\n"
        << "Usage: hoist COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto& c : table.commands())
    {
        if (!c.implemented)
            continue;
        std::string left = "  " + c.name;
        out << left << std::string(left.size() < 14 ? 14 - left.size() : 1, ' ') << c.summary
            << "\n";
    }
    out << "\nGlobal options:\n";
    for (const auto& o : table.options())
    {
        if (o.commands.empty())
            out << optionLine(table, o, "") << "\n";
    }
    out << "\nEvery option can also be set as HOIST_<NAME> (e.g. HOIST_BUILDER=ci).\n"
        << "Run 'hoist COMMAND --help' for a command's options.\n";
    return out.str();
}

std::string Help::command(const OptionTable& table, const std::string& name)
{
    const CommandSpec* c = table.findCommand(name);
    if (!c || !c->implemented)
        throw base::UsageException("no help for " + base::quoted(name) + ": not a command" +
                                   (c ? " that is supported yet" : ""));
    std::ostringstream out;
    out << "Usage: hoist " << c->name << " [OPTIONS]" << (c->args.empty() ? "" : " " + c->args)
        << "\n\n"
        << c->summary << "\n\nOptions:\n";
    std::vector<std::string> legacy;
    for (const auto& o : table.options())
    {
        if (!o.appliesTo(c->name))
            continue;
        if (o.legacy)
            legacy.push_back((o.shortName ? std::string("-") + o.shortName + "/" : "") + "--" +
                             o.name);
        else
            out << optionLine(table, o, c->name) << "\n";
    }
    if (!legacy.empty())
        out << "\nAlso taken as buildx takes them, docker build's legacy flags: "
            << base::join(legacy, ", ")
            << " (the resource ones as --resource; those BuildKit cannot honour are refused).\n";
    return out.str();
}

} // namespace hoist::cli
