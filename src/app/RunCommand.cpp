#include "app/RunCommand.h"

#include "app/BuildCommand.h"
#include "app/BuildPlan.h"
#include "app/BuilderPlan.h"
#include "app/EngineConnection.h"
#include "app/QemuStep.h"
#include "base/Cancellation.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "builder/Builder.h"
#include "builder/EngineLock.h"
#include "cli/OptionParser.h"
#include "engine/ImageRef.h"
#include "engine/RegistryAuth.h"

#include <Poco/Format.h>
#include <Poco/Timestamp.h>

namespace hoist::app
{

int RunCommand::run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                    std::ostream& err, std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec = BuilderPlan::spec(cmd, ci, conn.dockerConfig(), env, problems);
    std::vector<std::string> platforms = QemuStep::platforms(cmd.getList("platform"), problems);
    BuildPlan::Result plan = BuildPlan::make(cmd, ci, env, problems);
    cli::OptionParser::throwIfAny(problems, cmd.command());
    for (const auto& w : plan.warnings)
        console.warning(w);
    BuildCommand::checkEngine(plan, conn);

    Poco::Timestamp started;
    engine::RegistryAuth auth = conn.registryAuth(env, ci);
    QemuStep::run(conn.client(), auth, platforms, cmd.get("qemu"), cmd.get("qemu-image"), console);
    engine::Credentials cred = auth.lookup(engine::ImageRef::parse(spec.opts.image).authKey());
    auto note = [&](const std::string& n) { console.note(n); };
    builder::Builder b(conn.client(), spec, note,
                       builder::BuildxStore(BuilderPlan::buildxDir(conn.dockerConfig(), env)));
    builder::SetupResult setup = b.setup(
        builder::PullPolicy::Missing, cred.empty() ? "" : engine::RegistryAuth::encodeHeader(cred),
        *base::parseDuration(cmd.get("bootstrap-timeout")));
    console.note(Poco::format("builder %s %s (%s state volume), BuildKit %s", spec.name,
                              setup.action, std::string(setup.warmState ? "warm" : "new"),
                              setup.status.buildkitVersion));

    // Hold the builder for the whole job: another job's teardown must not remove it mid-build.
    builder::EngineLock lock(conn.client(), spec.containerName(), spec.opts.image, spec.session,
                             note);
    lock.acquire(Poco::Timespan(600, 0), Poco::Timespan(6 * 3600, 0));

    const bool keepState = cmd.getBool("keep-state");
    auto teardown = [&]
    {
        builder::TeardownResult t = b.teardown(keepState, false, false);
        console.note("builder " + spec.name + ": removed" +
                     (t.keptVolume
                          ? ", state volume " + spec.volumeName() + " kept for the next run"
                          : ", state volume removed"));
    };
    try
    {
        BuildCommand::execute(b, plan, conn, env, cmd, err);
    }
    catch (...)
    {
        // The build failed or was cancelled: tear down all the same, then report the cause.
        base::Cancellation::Cleanup cleanup;
        try
        {
            teardown();
        }
        catch (const Poco::Exception& e)
        {
            console.warning("teardown after the failure: " + base::userMessage(e));
        }
        throw;
    }
    teardown();
    console.note(Poco::format("run finished in %s",
                              base::formatDuration(Poco::Timespan(started.elapsed()))));
    return base::EXIT_OK;
}

} // namespace hoist::app
