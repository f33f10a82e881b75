#include "app/RunCommand.h"

#include "app/BuildCommand.h"
#include "app/BuildPlan.h"
#include "app/BuilderPlan.h"
#include "app/CiReport.h"
#include "app/EngineConnection.h"
#include "app/SetupStep.h"
#include "base/Cancellation.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "builder/Builder.h"
#include "cli/OptionParser.h"

#include <Poco/Format.h>
#include <Poco/Timestamp.h>

#include <memory>

namespace hoist::app
{

int RunCommand::run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                    std::ostream& err, std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec = BuilderPlan::spec(cmd, ci, conn.dockerConfig(), env, problems);
    BuildPlan::Result plan = BuildPlan::make(cmd, ci, env, problems);
    cli::OptionParser::throwIfAny(problems, cmd.command());
    // Commands go to stderr with the build's output, so the fence keeps its place in the log.
    CiReport rep(ci, cmd, err);
    rep.maskSecrets();
    plan.tell(console);
    BuildCommand::checkEngine(plan, conn);

    Poco::Timestamp started;
    report::RunReport rr;
    rr.command = "run";
    rr.builder = spec.name;
    rr.volume = spec.volumeName();
    rr.tags = plan.request.tags;
    rr.dockerfile = plan.request.dockerfileDir + "/" + plan.request.dockerfileName;
    auto note = [&](const std::string& n) { console.note(n); };
    builder::Builder b(conn.client(), spec, note,
                       builder::BuildxStore(BuilderPlan::buildxDir(conn.dockerConfig(), env)));
    bool needTeardown = false;
    const bool keepState = cmd.getBool("keep-state");
    auto teardown = [&]
    {
        rep.begin("teardown", "hoist teardown " + spec.name);
        builder::TeardownResult t = b.teardown(keepState, false, false);
        rr.keptVolume = t.keptVolume || t.inUse > 0;
        if (t.inUse > 0)
            console.note(Poco::format("builder %s: left running for the %d build(s) of other jobs "
                                      "that hold it; the last one out removes it",
                                      spec.name, t.inUse));
        else
            console.note("builder " + spec.name + ": removed" +
                         (t.keptVolume
                              ? ", state volume " + spec.volumeName() + " kept for the next run"
                              : ", state volume removed"));
        rep.end();
    };
    try
    {
        rep.begin("setup", "hoist setup " + spec.name);
        builder::SetupResult setup =
            SetupStep::run(cmd, conn.client(), conn.registryAuth(env, ci), plan.request.platforms,
                           b, spec.opts.image, console);
        needTeardown = true;
        rr.builderAction = setup.action;
        rr.warmState = setup.warmState;
        rr.buildkitVersion = setup.status.buildkitVersion;
        rr.platforms = setup.status.platforms;
        console.note(Poco::format("builder %s %s (%s state volume), BuildKit %s", spec.name,
                                  setup.action, std::string(setup.warmState ? "warm" : "new"),
                                  setup.status.buildkitVersion));
        rep.end();

        rep.begin("build", "hoist build");
        const std::string fence = rep.fence();
        try
        {
            rr.build = BuildCommand::execute(b, plan, conn, env, cmd, err);
        }
        catch (...)
        {
            rep.unfence(fence);
            throw;
        }
        rep.unfence(fence);
        rr.built = true;
        rep.end();

        teardown();
        needTeardown = false;
        rr.seconds = started.elapsed() / 1e6;
        rep.finish(rr);
    }
    catch (const Poco::Exception& e)
    {
        // The build failed or was cancelled: tear down all the same, then report the cause.
        base::Cancellation::Cleanup cleanup;
        rep.end();
        if (needTeardown)
        {
            try
            {
                teardown();
            }
            catch (const Poco::Exception& t)
            {
                console.warning("teardown after the failure: " + base::userMessage(t));
            }
        }
        rr.error = base::userMessage(e);
        rr.exitCode = base::exitCodeFor(e);
        rr.seconds = started.elapsed() / 1e6;
        rep.finish(rr);
        throw;
    }
    console.note(Poco::format("run finished in %s",
                              base::formatDuration(Poco::Timespan(started.elapsed()))));
    return base::EXIT_OK;
}

} // namespace hoist::app
