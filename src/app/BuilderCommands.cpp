// This file implements the builder commands: plan, check, then drive builder::Builder and
// print what it did through report/.

#include "app/BuilderCommands.h"

#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "app/FleetRun.h"
#include "app/RemoteCommands.h"
#include "app/Settings.h"
#include "app/SetupStep.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Builder.h"
#include "cli/OptionParser.h"
#include "engine/DockerConfig.h"
#include "engine/Volumes.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/StatePlan.h"
#include "qemu/Emulation.h"
#include "report/BuilderView.h"
#include "report/CiReport.h"
#include "travel/StateTravel.h"

#include <Poco/Timestamp.h>

namespace hoist::app
{

namespace
{

report::RunReport setupReport(const builder::BuilderSpec& spec, const builder::Builder& b,
                              const builder::SetupResult& r, bool current, double seconds)
{
    report::RunReport rr;
    rr.command = "setup";
    rr.builder = spec.name;
    rr.builderAction = builder::actionName(r.action);
    rr.warmState = r.warmState;
    rr.buildkitVersion = r.status.buildkitVersion;
    rr.platforms = r.status.platforms;
    rr.volume = spec.volumeName();
    rr.endpoint = b.buildxEndpoint();
    rr.buildkitdFlags = base::join(spec.flags, " ");
    rr.current = current;
    rr.seconds = seconds;
    return rr;
}

builder::BuilderSpec named(const cli::Options& o, const ci::CiContext& ci)
{
    builder::BuilderSpec spec;
    spec.name = o.common.builder.value;
    spec.session = ci.session;
    return spec;
}

} // namespace

void BuilderCommands::installAlias(const std::string& dockerConfigDir, report::Console& console)
{
    // The builder is made either way, so a docker config that cannot be written is a warning
    // (the post step must still find the builder to remove).
    try
    {
        engine::DockerConfig::aliasBuilderToBuildx(dockerConfigDir);
        console.note("docker build now runs docker buildx build (aliases.builder in " +
                     dockerConfigDir + "/config.json)");
    }
    catch (const Poco::Exception& e)
    {
        console.warning("docker build is not made an alias of docker buildx build: " +
                        base::userMessage(e));
    }
}

int BuilderCommands::setup(const cli::Options& o, const base::Env& env, report::Console& console,
                           std::ostream& out, base::Problems problems)
{
    if (!o.setup.nodes.value.empty())
        return FleetRun::setup(o, env, console, out, std::move(problems));
    if (o.setup.driver.value == "remote")
        return RemoteCommands::setup(o, env, console, out, std::move(problems));
    ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    const std::string buildxDir = plan::buildxDir(env, conn.dockerConfig().dir());
    builder::BuilderSpec spec = plan::planBuilder(
        o.setup, {o.common.builder.value, buildxDir, BuildInfo::current().version}, ci, env,
        plan::LocalFiles(), problems);
    std::vector<std::string> platforms =
        qemu::Emulation::platforms(o.setup.platforms.value, o.setup.platforms.name(), problems);
    const plan::StatePlan state = plan::planState(o.state, ci, problems, spec.config);
    conn.check(problems, [&] { SetupStep::preflight(o, conn.client(), spec, problems); });
    cli::OptionParser::throwIfAny(problems, o.command);

    builder::Builder b(
        conn.client(), spec, [&](const std::string& n) { console.note(n); },
        builder::BuildxStore(buildxDir));
    Poco::Timestamp started;
    travel::StateTravel travel =
        SetupStep::stateTravel(state, conn.registryAuth(env, ci), ci, console);
    travel.prepare(b);
    builder::SetupResult r =
        SetupStep::run(o, env, conn.client(), conn.registryAuth(env, ci), platforms, b, console);
    if (o.setup.use.value)
        b.makeCurrent();
    if (o.setup.install.value)
        installAlias(conn.dockerConfig().dir(), console);
    const double seconds = started.elapsed() / 1e6;
    report::CiReport(ci, o.common.resultFile.value, "", out)
        .finish(setupReport(spec, b, r, o.setup.use.value, seconds));
    console.print(o.common.json.value
                      ? report::BuilderView::setupJson(builder::actionName(r.action), seconds,
                                                       r.warmState, r.status)
                      : report::BuilderView::setupText(
                            builder::actionName(r.action),
                            base::formatDuration(Poco::Timespan(started.elapsed())), r.warmState,
                            r.status));
    return base::EXIT_OK;
}

int BuilderCommands::teardown(const cli::Options& o, const base::Env& env, report::Console& console,
                              base::Problems problems)
{
    if (FleetRun::holds(env, o.common.builder.value))
        return FleetRun::teardown(o, env, console, std::move(problems));
    ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    const plan::StatePlan state = plan::planState(o.state, ci, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    if (auto remote = RemoteCommands::stored(o, env, conn))
        return RemoteCommands::teardown(*remote, o, plan::buildxDir(env, conn.dockerConfig().dir()),
                                        console);
    const builder::BuilderSpec spec = named(o, ci);
    builder::Builder b(
        conn.client(), spec, [&](const std::string& n) { console.note(n); },
        builder::BuildxStore(plan::buildxDir(env, conn.dockerConfig().dir())));
    b.setHints(Settings::builderHints(o));
    const bool keepDaemon = o.teardown.keepDaemon.value;
    travel::StateTravel travel =
        SetupStep::stateTravel(state, conn.registryAuth(env, ci), ci, console);
    builder::TeardownResult r = b.teardown(o.teardown.keepState.value, o.teardown.force.value,
                                           keepDaemon, keepDaemon ? nullptr : travel.save(b));
    console.print(report::BuilderView::teardownText(spec.name, spec.containerName(),
                                                    spec.volumeName(), r, keepDaemon,
                                                    o.teardown.force.flag()));
    return base::EXIT_OK;
}

int BuilderCommands::inspect(const cli::Options& o, const base::Env& env, report::Console& console,
                             base::Problems problems)
{
    cli::OptionParser::throwIfAny(problems, o.command);
    if (FleetRun::holds(env, o.common.builder.value))
        return FleetRun::inspect(o, env, console);
    EngineConnection conn(env, o.common);
    builder::Builder b(conn.client(), named(o, ci::CiContext::detect(env, o.common.ciLeg.value)),
                       [&](const std::string& n) { console.note(n); });
    const std::optional<builder::RemoteSpec> remote = RemoteCommands::stored(o, env, conn);
    builder::BuilderStatus s =
        remote ? RemoteCommands::inspect(*remote, o, env, conn, console) : b.inspect();
    if (s.volumeExists)
    {
        try
        {
            s.volumeSize = engine::Volumes(conn.client()).size(s.volume);
        }
        catch (const Poco::Exception&)
        {
            // The engine allows one disk-usage walk at a time; the size is only information.
        }
    }
    if (!o.common.json.value)
        console.print(report::BuilderView::text(s));
    else
    {
        std::ostringstream out;
        report::BuilderView::json(s)->stringify(out, 2);
        console.print(out.str() + "\n");
    }
    return base::EXIT_OK;
}

} // namespace hoist::app
