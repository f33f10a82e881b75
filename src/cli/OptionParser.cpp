// This file implements the parsing of hoist's command line and HOIST_* environment.
// It follows buildx's flag syntax (pflag): --name=value, --name value, -n value, -nvalue,
// boolean flags with an optional =true/false, and "--" to end the options.

#include "cli/OptionParser.h"

#include "base/Error.h"
#include "base/ShellWords.h"
#include "base/Strings.h"
#include "cli/ActionList.h"

#include <Poco/String.h>

#include <algorithm>

namespace hoist::cli
{

namespace
{

std::string commandRef(const std::string& command)
{
    return "'hoist " + command + "'";
}

} // namespace

OptionParser::OptionParser(const OptionTable& table, const base::Env& env)
    : _table(table), _env(env)
{
}

ParsedCommand OptionParser::parse(const std::vector<std::string>& args) const
{
    base::Problems problems;
    ParsedCommand parsed = parse(args, problems);
    throwIfAny(problems, parsed.command());
    return parsed;
}

std::vector<std::string> OptionParser::expandArgsFrom(const std::vector<std::string>& args,
                                                      base::Problems& problems) const
{
    // --args-from VAR: the variable's words, split as a shell splits them (quotes kept together,
    // nothing expanded, so a CI variable cannot run commands), in its place; HOIST_ARGS_FROM
    // the same, after the other options.
    const std::string flag = "--args-from";
    const std::string env = "HOIST_ARGS_FROM";
    auto words = [&](const std::string& var, const std::string& given)
    {
        bool ok = true;
        std::vector<std::string> w = base::splitShellWords(_env.getOr(var, ""), ok);
        if (!ok)
            problems.push_back(base::Problem{given,
                                             given + " " + var + ": " + var +
                                                 " has an unclosed quote or a trailing "
                                                 "backslash",
                                             ""});
        return w;
    };
    std::vector<std::string> out;
    bool fromFlag = false;
    std::size_t i = 0;
    for (; i < args.size() && args[i] != "--"; ++i)
    {
        std::string var;
        if (args[i] == flag && i + 1 < args.size())
            var = args[++i];
        else if (base::startsWith(args[i], flag + "="))
            var = args[i].substr(flag.size() + 1);
        else
        {
            out.push_back(args[i]);
            continue;
        }
        fromFlag = true;
        const std::vector<std::string> add = words(var, flag);
        out.insert(out.end(), add.begin(), add.end());
    }
    if (!fromFlag && !_env.getOr(env, "").empty())
    {
        const std::vector<std::string> add = words(_env.getOr(env, ""), env);
        out.insert(out.end(), add.begin(), add.end());
    }
    out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
    return out;
}

void OptionParser::throwIfAny(const base::Problems& problems, const std::string& command)
{
    if (problems.empty())
        return;
    std::vector<std::string> lines;
    for (const auto& p : problems)
        lines.push_back(p.message());
    lines.push_back("see 'hoist " + command + " --help' for its options");
    throw base::UsageException(base::join(lines, "\n"));
}

ParsedCommand OptionParser::parse(const std::vector<std::string>& args,
                                  base::Problems& problems) const
{
    ParsedCommand parsed;
    std::vector<Occurrence> found;

    scan(expandArgsFrom(args, problems), parsed, found, problems);

    bool wantsHelp = false;
    bool wantsVersion = false;
    for (const auto& o : found)
    {
        wantsHelp = wantsHelp || o.name == "help" || o.name == "h";
        wantsVersion = wantsVersion || o.name == "version";
    }
    if (parsed.command().empty())
        parsed.setCommand(wantsVersion && !wantsHelp ? "version" : "help");

    const CommandSpec* command = _table.findCommand(parsed.command());
    if (!command)
    {
        std::vector<std::string> names;
        for (const auto& c : _table.commands())
        {
            if (c.implemented)
                names.push_back(c.name);
        }
        std::string problem = "unknown command " + base::quoted(parsed.command());
        std::string hint = base::closestMatch(parsed.command(), names);
        if (!hint.empty())
            problem += "; did you mean " + base::quoted(hint) + "?";
        throw base::UsageException(problem + "\nsee 'hoist --help' for the commands");
    }
    // "hoist build --tga --help" shows help rather than complaining about --tga.
    if (wantsHelp)
    {
        ParsedCommand help("help");
        if (parsed.command() != "help")
            help.addPositional(parsed.command());
        else if (!parsed.positionals().empty())
            help.addPositional(parsed.positionals().front());
        help.append("help", "true", Origin::Flag, "--help");
        return help;
    }

    applyOccurrences(found, parsed, problems);
    applyEnvironment(parsed, problems);
    // build-push-action's context input stands for the positional CONTEXT; without one the
    // action (its github-token input always set) builds the repository's git context.
    if (parsed.positionals().empty() && command->args == "[CONTEXT]")
    {
        const std::string context = Poco::trim(_env.getOr("INPUT_CONTEXT", ""));
        if (!context.empty())
            parsed.addPositional(context);
        else if (_env.has("INPUT_GITHUB-TOKEN"))
            parsed.addPositional("{{defaultContext}}");
    }
    // The merge action's sources input stands for the positional SOURCEs.
    if (parsed.positionals().empty() && command->args == "[SOURCE...]")
    {
        for (const auto& source : ActionList::parse(_env.getOr("INPUT_SOURCES", ""), true))
            parsed.addPositional(source);
    }
    checkPositionals(parsed, problems);
    return parsed;
}

std::vector<std::string> OptionParser::without(const std::vector<std::string>& args,
                                               const std::vector<std::string>& options,
                                               bool positionals) const
{
    ParsedCommand parsed;
    std::vector<Occurrence> found;
    base::Problems problems;
    scan(args, parsed, found, problems);
    std::vector<bool> drop(args.size(), false);
    for (const auto& o : found)
    {
        const std::string name = o.spec ? o.spec->name : o.name;
        if (o.positional ? positionals
                         : std::find(options.begin(), options.end(), name) != options.end())
            std::fill_n(drop.begin() + static_cast<std::ptrdiff_t>(o.first), o.count, true);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        if (!drop[i])
            out.push_back(args[i]);
    }
    return out;
}

void OptionParser::scan(const std::vector<std::string>& args, ParsedCommand& parsed,
                        std::vector<Occurrence>& found, base::Problems& problems) const
{
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-')
        {
            if (parsed.command().empty())
                parsed.setCommand(arg);
            else
            {
                parsed.addPositional(arg);
                Occurrence positional;
                positional.positional = true;
                positional.first = i;
                found.push_back(positional);
            }
            continue;
        }
        if (arg == "--")
        {
            optionsEnded = true;
            continue;
        }

        Occurrence o;
        o.first = i;
        if (arg[1] == '-')
        {
            std::string body = arg.substr(2);
            auto eq = body.find('=');
            o.name = eq == std::string::npos ? body : body.substr(0, eq);
            o.typed = "--" + o.name;
            if (eq != std::string::npos)
            {
                o.hasValue = true;
                o.value = body.substr(eq + 1);
            }
            o.spec = _table.findLong(o.name, parsed.command());
        }
        else
        {
            o.name = std::string(1, arg[1]);
            o.typed = "-" + o.name;
            o.spec = _table.findShort(arg[1], parsed.command());
            if (arg.size() > 2)
            {
                o.hasValue = true;
                o.value = arg.substr(arg[2] == '=' ? 3 : 2);
            }
            // "-h" is help for every command, even before the command is known.
            if (!o.spec && arg[1] == 'h')
                o.spec = _table.findLong("help");
        }

        if (o.spec && o.spec->kind != ValueKind::Flag && !o.hasValue)
        {
            if (i + 1 < args.size())
            {
                o.hasValue = true;
                o.value = args[++i];
                o.count = 2;
            }
            else
                problems.push_back(base::Problem{
                    "", o.typed + " needs a value (" + o.typed + " " + o.spec->placeholder + ")",
                    ""});
        }
        found.push_back(o);
    }
}

void OptionParser::applyOccurrences(const std::vector<Occurrence>& found, ParsedCommand& parsed,
                                    base::Problems& problems) const
{
    const std::string& command = parsed.command();
    for (auto o : found)
    {
        if (o.positional)
            continue;
        // Options given before the command were looked up without it.
        if (o.spec && o.typed.size() > 2 && o.typed[1] == '-')
            o.spec = _table.findLong(o.name, command);
        if (!o.spec)
        {
            if (o.name == "version" && command == "version")
                continue;
            if (_table.notYet(command, o.name))
            {
                problems.push_back(base::Problem{
                    "",
                    o.typed + " (a buildx option) is not supported yet by " + commandRef(command),
                    ""});
                continue;
            }
            std::string problem =
                "unknown option " + base::quoted(o.typed) + " for " + commandRef(command);
            if (o.typed.size() > 2 && o.typed[1] == '-')
            {
                std::string hint = base::closestMatch(o.name, _table.longNamesFor(command));
                if (!hint.empty())
                    problem += "; did you mean " + base::quoted("--" + hint) + "?";
            }
            problems.push_back(base::Problem{"", problem, ""});
            continue;
        }
        if (!o.spec->appliesTo(command))
        {
            problems.push_back(
                base::Problem{o.typed,
                              o.typed + " is not an option of " + commandRef(command) +
                                  " (it is one of: " + base::join(o.spec->commands, ", ") + ")",
                              ""});
            continue;
        }
        if (!o.hasValue && o.spec->kind != ValueKind::Flag)
            continue; // already reported as missing its value
        std::string value = o.spec->kind == ValueKind::Flag && !o.hasValue ? "true" : o.value;
        std::string why = problemWith(*o.spec, value);
        if (!why.empty())
        {
            problems.push_back(base::Problem{o.typed,
                                             o.typed +
                                                 (o.spec->kind == ValueKind::Flag ? "=" : " ") +
                                                 base::quoted(value) + " " + why,
                                             ""});
            continue;
        }
        if (o.spec->legacy)
        {
            applyLegacy(*o.spec, o.typed, value, parsed, problems);
            continue;
        }
        if (o.spec->kind != ValueKind::List && parsed.origin(o.spec->name) == Origin::Flag)
        {
            // The last one wins, as with pflag.
            OptionValue single;
            single.values.push_back(value);
            single.origin = Origin::Flag;
            single.source = o.typed;
            parsed.set(o.spec->name, single);
        }
        else
            parsed.append(o.spec->name, value, Origin::Flag, o.typed);
    }
}

void OptionParser::applyLegacy(const OptionSpec& spec, const std::string& typed,
                               const std::string& value, ParsedCommand& parsed,
                               base::Problems& problems) const
{
    const OptionSpec::Legacy& legacy = *spec.legacy;
    if (!legacy.refusal.empty())
    {
        problems.push_back(base::Problem{typed, typed + " " + legacy.refusal, ""});
        return;
    }
    if (legacy.feeds.empty())
        return;
    const OptionSpec* fed = _table.findLong(legacy.feeds, parsed.command());
    const std::string why = fed ? problemWith(*fed, legacy.prefix + value) : "";
    if (!why.empty())
        problems.push_back(base::Problem{typed, typed + " " + base::quoted(value) + " " + why, ""});
    else
        parsed.append(legacy.feeds, legacy.prefix + value, Origin::Flag, typed);
    // Else BuildKit does what it asks anyway (no intermediate containers are ever left).
}

std::string OptionParser::problemWith(const OptionSpec& spec, const std::string& value)
{
    if (spec.kind == ValueKind::Flag)
    {
        bool ok = false;
        base::parseBool(value, ok);
        if (!ok)
            return "must be true or false";
    }
    return spec.validate ? spec.validate(value) : "";
}

bool OptionParser::applyVariable(const OptionSpec& spec, const std::string& env,
                                 ParsedCommand& parsed, base::Problems& problems) const
{
    if (!_env.has(env))
        return false;
    std::vector<std::string> values;
    if (spec.kind == ValueKind::List)
        values = base::splitTrimmed(*_env.get(env), '\n');
    else
        values.push_back(Poco::trim(*_env.get(env)));
    for (const auto& value : values)
    {
        std::string why = problemWith(spec, value);
        if (!why.empty())
            problems.push_back(base::Problem{env, env + "=" + base::quoted(value) + " " + why, ""});
        else
            parsed.append(spec.name, value, Origin::Env, env);
    }
    return true;
}

bool OptionParser::applyInputs(const OptionSpec& spec, ParsedCommand& parsed,
                               base::Problems& problems) const
{
    // GitHub action inputs, when hoist runs as the action: one item a line.
    bool fromInputs = false;
    for (const auto& in : spec.inputs)
    {
        const std::string var = in.envName();
        if (!_env.has(var))
            continue;
        std::vector<std::string> items =
            in.whole ? std::vector<std::string>{Poco::trim(*_env.get(var))}
                     : ActionList::parse(*_env.get(var), in.csv, in.quotes, in.trim);
        if (spec.kind != ValueKind::List && !items.empty())
            items = {base::join(items, in.csv ? "," : "\n")};
        for (auto item : items)
        {
            if (in.transform)
                item = in.transform(item);
            std::string why = problemWith(spec, item);
            if (!why.empty())
                problems.push_back(base::Problem{
                    "", "the action input " + in.name + "=" + base::quoted(item) + " " + why, ""});
            else
                parsed.append(spec.name, item, Origin::Input, var);
            fromInputs = true;
        }
    }
    return fromInputs;
}

void OptionParser::refuseInputs(const std::string& command, base::Problems& problems) const
{
    // An input of docker's actions that hoist cannot honour fails the step rather than build
    // something else than the workflow asked for.
    for (const auto& in : _table.refusedInputs())
    {
        if (std::find(in.commands.begin(), in.commands.end(), command) == in.commands.end())
            continue;
        const std::string value = Poco::trim(_env.getOr(in.envName(), ""));
        if (std::find(in.accepted.begin(), in.accepted.end(), value) != in.accepted.end())
            continue;
        problems.push_back(base::Problem{
            "",
            "the action input " + in.name +
                (in.secret ? " (value hidden)" : "=" + base::quoted(value)) + " " + in.why,
            ""});
    }
}

void OptionParser::warnTypos(const std::vector<std::string>& envNames, ParsedCommand& parsed) const
{
    // A HOIST_* variable one or two letters away from an option's name is most likely a typo
    // that would otherwise be ignored without a word.
    // What a GitLab dotenv report of an earlier hoist job hands later jobs (--dotenv-file).
    static const std::vector<std::string> reported = {"HOIST_DIGEST", "HOIST_IMAGE_ID",
                                                      "HOIST_TAGS", "HOIST_BUILDER_NAME"};
    for (const auto& [name, value] : _env.withPrefix("HOIST_"))
    {
        if (std::find(envNames.begin(), envNames.end(), name) != envNames.end() ||
            std::find(reported.begin(), reported.end(), name) != reported.end() ||
            base::startsWith(name, "HOIST_SOURCE_"))
            continue;
        for (const auto& known : envNames)
        {
            if (base::editDistance(name, known) <= 2)
            {
                parsed.addWarning(name + " is not a hoist variable; did you mean " + known + "?");
                break;
            }
        }
    }
}

void OptionParser::applyEnvironment(ParsedCommand& parsed, base::Problems& problems) const
{
    const std::string& command = parsed.command();
    std::vector<std::string> envNames;
    for (const auto& spec : _table.options())
    {
        if (spec.legacy)
            continue; // on the command line only, as docker build took them
        envNames.push_back(spec.envName());
        if (!spec.appliesTo(command) || parsed.has(spec.name) || spec.name == "help")
            continue;
        if (applyVariable(spec, spec.envName(), parsed, problems) ||
            applyInputs(spec, parsed, problems) ||
            std::any_of(spec.dockerEnv.begin(), spec.dockerEnv.end(),
                        [&](const std::string& e) {
                            return !_env.getOr(e, "").empty() &&
                                   applyVariable(spec, e, parsed, problems);
                        }))
            continue;
        if (!spec.defaultValue.empty())
            parsed.append(spec.name, spec.defaultValue, Origin::Default, "");
    }
    refuseInputs(command, problems);
    warnTypos(envNames, parsed);
}

void OptionParser::checkPositionals(const ParsedCommand& parsed, base::Problems& problems) const
{
    const CommandSpec* command = _table.findCommand(parsed.command());
    std::size_t allowed = command->args.empty() ? 0 : 1;
    if (base::endsWith(command->args, "...]"))
        return; // any number
    if (parsed.positionals().size() > allowed)
    {
        std::vector<std::string> extra(parsed.positionals().begin() + allowed,
                                       parsed.positionals().end());
        std::string quotedExtra;
        for (const auto& e : extra)
            quotedExtra += (quotedExtra.empty() ? "" : " ") + base::quoted(e);
        problems.push_back(base::Problem{
            "",
            commandRef(parsed.command()) + " takes " +
                (allowed ? "one argument " + command->args : std::string("no arguments")) +
                "; unexpected: " + quotedExtra,
            ""});
    }
}

} // namespace hoist::cli
