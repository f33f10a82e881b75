// This file implements the top of hoist: parse, dispatch to the command, and the one catch.

#include "app/App.h"

#include "app/BuildCommand.h"
#include "app/BuilderCommands.h"
#include "app/DoctorCommand.h"
#include "app/PlanCommand.h"
#include "app/RunCommand.h"
#include "app/VersionCommand.h"
#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Log.h"
#include "builder/Hold.h"
#include "ci/CiCapture.h"
#include "ci/CiContext.h"
#include "cli/Help.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"
#include "report/Console.h"

#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamChannel.h>
#include <Poco/TemporaryFile.h>

namespace hoist::app
{

App::App(base::Env env, std::ostream& out, std::ostream& err)
    : _env(std::move(env)), _out(out), _err(err)
{
}

namespace
{

// The options naming files on this machine: not part of a CI context, so a capture leaves them
// out and a replay writes its own.
const std::vector<std::string> MACHINE_FILES = {"capture-env", "ci-env",  "result-file",
                                                "dotenv-file", "iidfile", "metadata-file"};

} // namespace

int App::run(std::vector<std::string> args)
{
    // hoist as the helper inside a builder container (builder::Hold): no options, no CI.
    if (!args.empty() && args.front() == builder::Hold::COMMAND)
        return builder::Hold::main(std::vector<std::string>(args.begin() + 1, args.end()), _err);
    report::Console console(_out, _err);
    try
    {
        const cli::OptionTable& table = cli::OptionTable::instance();
        std::vector<std::string> problems;
        cli::ParsedCommand cmd = cli::OptionParser(table, _env).parse(args, problems);
        // A replayed CI context: its variables under ours, its arguments before ours. The
        // event payload it holds lives in a file for as long as this run.
        Poco::TemporaryFile eventFile;
        if (!cmd.get("ci-env").empty() && problems.empty())
        {
            const cli::OptionParser parser(table, _env);
            std::vector<std::string> captured;
            base::Env replayed =
                ci::CiCapture::replay(cmd.get("ci-env"), _env, captured, eventFile.path());
            std::vector<std::string> own = parser.without(args, {"ci-env"}, false);
            // The same command replays its captured arguments too, ours added after them and
            // our CONTEXT instead of its; another command (setup of a captured run) takes only
            // the variables.
            if (!own.empty() && !captured.empty() && own.front() == captured.front())
            {
                const bool ownContext = parser.without(own, {}, true).size() < own.size();
                captured = parser.without(captured, MACHINE_FILES, ownContext);
                captured.insert(captured.end(), own.begin() + 1, own.end());
                args = captured;
            }
            else
                args = own;
            _env = replayed;
            problems.clear();
            cmd = cli::OptionParser(table, _env).parse(args, problems);
        }
        if (!cmd.get("capture-env").empty() && problems.empty())
        {
            base::Env env = _env;
            for (const auto& name : MACHINE_FILES)
                env = env.without(table.findLong(name)->envName());
            base::AtomicFile::put(
                cmd.get("capture-env"),
                ci::CiCapture::capture(
                    env, cli::OptionParser(table, _env).without(args, MACHINE_FILES, false)));
        }
        // Unless given, the builder is named after the CI job: warm across its runs, apart from
        // other jobs on the same engine.
        if (cmd.origin("builder") == cli::Origin::Default)
        {
            cli::OptionValue v;
            v.values.push_back(ci::CiContext::detect(_env).defaultBuilder());
            v.source = "one per CI job";
            cmd.set("builder", v);
        }
        base::Log::configure(new Poco::StreamChannel(_err),
                             cmd.has("log-level") ? cmd.get("log-level") : "warning");
        for (const auto& w : cmd.warnings())
            console.warning(w);

        const std::string& name = cmd.command();
        if (name == "setup")
            return BuilderCommands::setup(cmd, _env, console, _out, problems);
        if (name == "teardown")
            return BuilderCommands::teardown(cmd, _env, console, problems);
        if (name == "inspect")
            return BuilderCommands::inspect(cmd, _env, console, problems);
        if (name == "build")
            return BuildCommand::run(cmd, _env, console, _err, problems);
        if (name == "plan")
            return PlanCommand::run(cmd, _env, console, problems);
        if (name == "run")
            return RunCommand::run(cmd, _env, console, _err, problems);
        cli::OptionParser::throwIfAny(problems, name);
        if (name == "help")
        {
            console.print(cmd.positionals().empty()
                              ? cli::Help::overview(table)
                              : cli::Help::command(table, cmd.positionals().front()));
            return base::EXIT_OK;
        }
        if (name == "version")
            return VersionCommand::run(cmd, console);
        if (name == "doctor")
            return DoctorCommand::run(cmd, _env, console);
        throw base::NotSupportedYetException("'hoist " + name + "' is not supported yet");
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
