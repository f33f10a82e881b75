#include "app/BuildCommand.h"

#include "app/BuildPlan.h"
#include "app/CiReport.h"
#include "app/EngineConnection.h"
#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Builder.h"
#include "buildrun/BuildRunner.h"
#include "cli/OptionParser.h"
#include "engine/RegistryAuth.h"
#include "engine/System.h"
#include "report/ProgressPrinter.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>

#include <unistd.h>

namespace hoist::app
{

namespace
{

// The classic (graphdriver) image store cannot load a multi-platform image.
bool containerdStore(engine::EngineClient& client)
{
    auto info = engine::System(client).info();
    auto status = info->getArray("DriverStatus");
    for (std::size_t i = 0; status && i < status->size(); ++i)
    {
        auto pair = status->getArray(static_cast<unsigned>(i));
        if (pair && pair->size() == 2 && pair->getElement<std::string>(0) == "driver-type" &&
            pair->getElement<std::string>(1) == "io.containerd.snapshotter.v1")
            return true;
    }
    return false;
}

} // namespace

int BuildCommand::run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                      std::ostream& err, std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    BuildPlan::Result plan = BuildPlan::make(cmd, ci, env, problems);
    cli::OptionParser::throwIfAny(problems, cmd.command());
    // Commands go to stderr with the build's output, so the fence keeps its place in the log.
    CiReport rep(ci, cmd, err);
    rep.maskSecrets();
    plan.tell(console);

    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec;
    spec.name = cmd.get("builder");
    builder::Builder b(conn.client(), spec, [&](const std::string& n) { console.note(n); });
    Poco::Timestamp started;
    report::RunReport rr;
    rr.command = "build";
    rr.builder = spec.name;
    rr.tags = plan.request.tags;
    rr.dockerfile = plan.request.dockerfileDir + "/" + plan.request.dockerfileName;
    try
    {
        if (!b.running())
            throw base::UnavailableException(
                "no running builder " + base::quoted(spec.name) + " (container " +
                spec.containerName() + ")\nhint: hoist setup --builder " + spec.name + " makes it");
        checkEngine(plan, conn);
        rep.begin("build", "hoist build");
        const std::string fence = rep.fence();
        try
        {
            rr.build = execute(b, plan, conn, env, cmd, err);
        }
        catch (...)
        {
            rep.unfence(fence);
            throw;
        }
        rep.unfence(fence);
        rr.built = true;
    }
    catch (const Poco::Exception& e)
    {
        rr.error = base::userMessage(e);
        rr.exitCode = base::exitCodeFor(e);
        rr.seconds = started.elapsed() / 1e6;
        rep.finish(rr);
        throw;
    }
    rr.seconds = started.elapsed() / 1e6;
    rep.finish(rr);
    return base::EXIT_OK;
}

void BuildCommand::checkEngine(const BuildPlan::Result& plan, EngineConnection& conn)
{
    const buildrun::BuildRequest& r = plan.request;
    bool load = false;
    for (const auto& o : r.outputs)
        load = load || (o.type == "docker" && o.hostDest.empty());
    if (load && r.platforms.size() > 1 && !containerdStore(conn.client()))
        throw base::UsageException("--load of " + std::to_string(r.platforms.size()) +
                                   " platforms needs the engine's containerd image store; this "
                                   "engine has the classic one, "
                                   "which holds one platform per image\nhint: push with --push, "
                                   "write --output type=oci,dest=FILE, "
                                   "or --load one platform at a time");
}

buildrun::BuildSummary BuildCommand::execute(builder::Builder& b, const BuildPlan::Result& plan,
                                             EngineConnection& conn, const base::Env& env,
                                             const cli::ParsedCommand& cmd, std::ostream& err)
{
    const buildrun::BuildRequest& r = plan.request;
    std::vector<std::string> hosts = r.registryHosts;
    for (const auto& [key, entry] : conn.dockerConfig().auths())
        hosts.push_back(engine::RegistryAuth::hostOf(key));
    const ci::CiContext ci = ci::CiContext::detect(env);
    if (!ci.registry.host.empty())
        hosts.push_back(ci.registry.host);
    engine::RegistryAuth auth = conn.registryAuth(env, ci);
    const std::string authConfig = auth.authsConfig(hosts);

    report::ProgressPrinter printer(
        err, report::ProgressPrinter::modeFor(
                 cmd.get("progress"), ::isatty(2) == 1 && env.getOr("TERM", "dumb") != "dumb"));
    buildrun::BuildRunner runner(b, r, plan.context, authConfig);
    buildrun::BuildSummary summary =
        runner.run([&](const buildrun::StepEvent& e) { printer.event(e); });
    printer.summary(summary);

    if (!r.metadataFile.empty())
        base::AtomicFile::put(r.metadataFile,
                              (summary.metadata.empty() ? "{}" : summary.metadata) + "\n");
    if (!r.iidFile.empty())
        base::AtomicFile::put(r.iidFile, summary.imageId);
    return summary;
}

} // namespace hoist::app
