// This file implements the top of hoist: parse, replay or capture a CI context, type the
// options, dispatch to the command, and the one catch.

#include "app/App.h"

#include "app/BuildCommand.h"
#include "app/BuilderCommands.h"
#include "app/DoctorCommand.h"
#include "app/MergeCommand.h"
#include "app/PlanCommand.h"
#include "app/QemuCommand.h"
#include "app/RunCommand.h"
#include "app/StdinFiles.h"
#include "app/VersionCommand.h"
#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Log.h"
#include "builder/Hold.h"
#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "builder/Relay.h"
#include "builder/RemoteBuilder.h"
#include "builder/StateAttrs.h"
#include "ci/CiCapture.h"
#include "ci/CiContext.h"
#include "cli/Help.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"
#include "report/CommandFence.h"
#include "report/Console.h"

#include <Poco/StreamChannel.h>
#include <Poco/TemporaryFile.h>

#include <iostream>
#include <optional>

namespace hoist::app
{

App::App(base::Env env, std::ostream& out, std::ostream& err)
    : _env(std::move(env)), _out(out), _err(err)
{
}

cli::ParsedCommand App::replay(std::vector<std::string>& args, const std::string& eventFile,
                               base::Problems& problems)
{
    const cli::OptionTable& table = cli::OptionTable::instance();
    const cli::OptionParser parser(table, _env);
    cli::ParsedCommand cmd = parser.parse(args, problems);
    const std::string file = cmd.get(cli::OptionTable::replayOption());
    if (file.empty() || !problems.empty())
        return cmd;
    // A replayed CI context: its variables under ours, its arguments before ours.
    std::vector<std::string> captured;
    base::Env replayed = ci::CiCapture::replay(file, cmd.givenAs(cli::OptionTable::replayOption()),
                                               _env, captured, eventFile);
    std::vector<std::string> own = parser.without(args, {cli::OptionTable::replayOption()}, false);
    // The same command replays its captured arguments too, ours added after them and our
    // CONTEXT instead of its; another command (setup of a captured run) takes the variables.
    if (!own.empty() && !captured.empty() && own.front() == captured.front())
    {
        const bool ownContext = parser.without(own, {}, true).size() < own.size();
        captured = parser.without(captured, table.machineFileOptions(), ownContext);
        captured.insert(captured.end(), own.begin() + 1, own.end());
        args = captured;
    }
    else
        args = own;
    _env = replayed;
    problems.clear();
    return cli::OptionParser(table, _env).parse(args, problems);
}

void App::capture(const cli::ParsedCommand& cmd, const std::vector<std::string>& args)
{
    const cli::OptionTable& table = cli::OptionTable::instance();
    const std::string file = cmd.get(cli::OptionTable::captureOption());
    if (file.empty())
        return;
    base::Env env = _env;
    for (const auto& name : table.machineFileOptions())
        env = env.without(table.findLong(name)->envName());
    base::AtomicFile::put(
        file,
        ci::CiCapture::capture(
            env, cli::OptionParser(table, _env).without(args, table.machineFileOptions(), false)));
}

cli::Options App::typed(const cli::ParsedCommand& cmd) const
{
    cli::Options options = cli::Options::from(cmd);
    // Unless given, the builder is named after the CI job: warm across its runs, apart from
    // other jobs on the same engine.
    if (!options.common.builder.given())
    {
        options.common.builder.value =
            ci::CiContext::detect(_env, options.common.ciLeg.value).defaultBuilder();
        options.common.builder.source.raw = {options.common.builder.value};
        options.common.builder.source.note = "one per CI job";
    }
    return options;
}

int App::dispatch(const cli::Options& o, report::Console& console, base::Problems problems)
{
    const std::string& name = o.command;
    if (name == "setup")
        return BuilderCommands::setup(o, _env, console, _out, problems);
    if (name == "teardown")
        return BuilderCommands::teardown(o, _env, console, problems);
    if (name == "inspect")
        return BuilderCommands::inspect(o, _env, console, problems);
    if (name == "build" || name == "plan" || name == "run")
    {
        // A context or Dockerfile on stdin ("-") lives in a temporary directory meanwhile.
        const StdinFiles stdinFiles(o, std::cin);
        const cli::Options& withFiles = stdinFiles.options();
        if (name == "build")
            return BuildCommand::run(withFiles, _env, console, _err, problems);
        if (name == "plan")
            return PlanCommand::run(withFiles, _env, console, problems);
        return RunCommand::run(withFiles, _env, console, _err, problems);
    }
    if (name == "merge")
        return MergeCommand::run(o, _env, console, _err, problems);
    if (name == "qemu")
        return QemuCommand::run(o, _env, console, _out, problems);
    cli::OptionParser::throwIfAny(problems, name);
    const cli::OptionTable& table = cli::OptionTable::instance();
    if (name == "help")
    {
        console.print(o.positionals.empty() ? cli::Help::overview(table)
                                            : cli::Help::command(table, o.positionals.front()));
        return base::EXIT_OK;
    }
    if (name == "version")
        return VersionCommand::run(o, console);
    if (name == "doctor")
        return DoctorCommand::run(o, _env, console);
    throw base::NotSupportedYetException("'hoist " + name + "' is not supported yet");
}

int App::run(std::vector<std::string> args)
{
    // hoist as the helper inside a builder container (builder::Hold): no options, no CI.
    if (!args.empty() && args.front() == builder::Hold::COMMAND)
        return builder::Hold::main(std::vector<std::string>(args.begin() + 1, args.end()), _err);
    if (!args.empty() && args.front() == builder::Relay::COMMAND)
        return builder::Relay::main(std::vector<std::string>(args.begin() + 1, args.end()), _err);
    if (!args.empty() && args.front() == builder::RemoteBuilder::IDLE_COMMAND)
        return builder::RemoteBuilder::idleMain();
    if (!args.empty() && args.front() == builder::StateAttrs::COMMAND)
        return builder::StateAttrs::main(std::vector<std::string>(args.begin() + 1, args.end()),
                                         _out, _err);
    if (!args.empty() && args.front() == builder::Mirror::LIST_COMMAND)
        return builder::Mirror::listMain(std::vector<std::string>(args.begin() + 1, args.end()),
                                         _out, _err);
    if (!args.empty() && args.front() == builder::MemoryFiles::COMMAND)
        return builder::MemoryFiles::main(std::vector<std::string>(args.begin() + 1, args.end()),
                                          std::cin, _err);
    // Under GitHub Actions no line hoist prints can be taken for a workflow command.
    std::optional<report::CommandFence> fenceOut, fenceErr;
    if (ci::CiContext::underGitHubRunner(_env))
    {
        fenceOut.emplace(_out);
        fenceErr.emplace(_err);
    }
    report::Console console(_out, _err);
    try
    {
        base::Problems problems;
        // The event payload a replayed context holds lives in a file for as long as this run.
        Poco::TemporaryFile eventFile;
        cli::ParsedCommand cmd = replay(args, eventFile.path(), problems);
        if (problems.empty())
            capture(cmd, args);
        const cli::Options options = typed(cmd);
        const std::string& level =
            options.common.debug.value ? std::string("debug") : options.common.logLevel.value;
        base::Log::configure(new Poco::StreamChannel(_err), level.empty() ? "warning" : level);
        for (const auto& w : options.warnings)
            console.warning(w);
        return dispatch(options, console, problems);
    }
    catch (const Poco::Exception& e)
    {
        console.error(base::userMessage(e));
        return base::exitCodeFor(e);
    }
    catch (const std::exception& e)
    {
        console.error(std::string("internal error: ") + e.what());
        return base::EXIT_SOFTWARE;
    }
}

} // namespace hoist::app
