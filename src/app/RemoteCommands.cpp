// This file implements the commands on a remote builder: plan and check first, then the
// daemon asked through a client container, buildx's store entry written or removed, and
// what they did printed and reported to the CI. Nothing here changes the daemon.

#include "app/RemoteCommands.h"

#include "app/BuildCommand.h"
#include "app/BuilderCommands.h"
#include "app/LiveView.h"
#include "app/Settings.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "builder/Builder.h"
#include "builder/BuildxStore.h"
#include "cli/OptionParser.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/RemotePlan.h"
#include "report/BuilderView.h"
#include "report/CiReport.h"

#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace hoist::app
{

namespace
{

// Options that act on a state volume, which a remote builder does not have.
void refuseState(const cli::Options& o, base::Problems& problems)
{
    const std::string why = " moves a docker-container builder's state volume; a remote "
                            "daemon keeps its own state";
    if (!o.state.from.value.empty())
        problems.push_back(base::Problem{o.state.from.name(), o.state.from.name() + why,
                                         "remove " + o.state.from.name()});
    if (!o.state.to.value.empty())
        problems.push_back(base::Problem{o.state.to.name(), o.state.to.name() + why,
                                         "remove " + o.state.to.name()});
}

std::string optsJson(const builder::RemoteSpec& spec)
{
    Poco::JSON::Object opts;
    for (const auto& [k, v] : spec.driverOpts())
        opts.set(k, v);
    std::ostringstream out;
    opts.stringify(out);
    return out.str();
}

// The daemon asked through a new client container; status gets what it said.
std::unique_ptr<builder::RemoteBuilder> connect(builder::RemoteSpec spec, builder::RemoteTls tls,
                                                const cli::Options& o, const base::Env& env,
                                                EngineConnection& conn, const ci::CiContext& ci,
                                                report::Console& console,
                                                builder::BuilderStatus& status)
{
    spec.session = ci.session;
    auto channel = std::make_unique<builder::RemoteBuilder>(
        conn.client(), spec, std::move(tls), [&console](const std::string& n) { console.note(n); });
    channel->setHints(Settings::builderHints(o));
    status = channel->connect(builder::pullPolicyNamed(o.setup.imagePull.value),
                              conn.registryAuth(env, ci).headerFor(spec.clientImage));
    status.driver = "remote";
    status.endpoint = spec.endpoint;
    status.driverOpts = optsJson(spec);
    return channel;
}

report::RunReport setupReport(const builder::RemoteSpec& spec, const builder::BuilderStatus& s,
                              bool current, double seconds)
{
    report::RunReport rr;
    rr.command = "setup";
    rr.builder = spec.name;
    rr.driver = "remote";
    rr.builderAction = "created";
    rr.buildkitVersion = s.buildkitVersion;
    rr.platforms = s.platforms;
    rr.endpoint = spec.endpoint;
    rr.current = current;
    rr.seconds = seconds;
    return rr;
}

// The local engine as buildx keys its current builder.
std::string localEndpoint(EngineConnection& conn)
{
    builder::BuilderSpec local;
    return builder::Builder(conn.client(), local, [](const std::string&) {}).buildxEndpoint();
}

} // namespace

std::optional<builder::RemoteSpec>
RemoteCommands::stored(const cli::Options& o, const base::Env& env, EngineConnection& conn)
{
    return builder::BuildxStore(plan::buildxDir(env, conn.dockerConfig().dir()))
        .remote(o.common.builder.value);
}

std::unique_ptr<builder::RemoteBuilder>
RemoteCommands::open(const builder::RemoteSpec& spec, const cli::Options& o, const base::Env& env,
                     EngineConnection& conn, const ci::CiContext& ci, report::Console& console)
{
    base::Problems problems;
    builder::RemoteTls tls = plan::readRemoteTls(
        spec, "the remote builder " + spec.name + "'s driver-opt", plan::LocalFiles(), problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    builder::BuilderStatus status;
    return connect(spec, std::move(tls), o, env, conn, ci, console, status);
}

int RemoteCommands::setup(const cli::Options& o, const base::Env& env, report::Console& console,
                          std::ostream& out, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    plan::RemotePlan p =
        plan::planRemote(o.setup, o.common.builder.value, ci.session, plan::LocalFiles(), problems);
    refuseState(o, problems);
    if (o.setup.platforms.given())
        problems.push_back(base::Problem{
            o.setup.platforms.name(),
            o.setup.platforms.name() + " registers QEMU on the local engine; a remote daemon's "
                                       "host registers its own emulators",
            "remove it; give the build's platforms to hoist build"});
    conn.check(problems, [] {});
    cli::OptionParser::throwIfAny(problems, o.command);
    Poco::Timestamp started;
    builder::BuilderStatus status;
    connect(p.spec, p.tls, o, env, conn, ci, console, status).reset();
    const builder::BuildxStore store(plan::buildxDir(env, conn.dockerConfig().dir()));
    store.saveRemote(p.spec);
    if (o.setup.use.value)
        store.use(p.spec.name, localEndpoint(conn));
    if (o.setup.install.value)
        BuilderCommands::installAlias(conn.dockerConfig().dir(), console);
    const double seconds = started.elapsed() / 1e6;
    report::CiReport(ci, o.common.resultFile.value, "", out)
        .finish(setupReport(p.spec, status, o.setup.use.value, seconds));
    console.print(o.common.json.value
                      ? report::BuilderView::setupJson("created", seconds, false, status)
                      : report::BuilderView::setupText(
                            "created", base::formatDuration(Poco::Timespan(started.elapsed())),
                            false, status));
    return base::EXIT_OK;
}

int RemoteCommands::run(const cli::Options& o, const base::Env& env, report::Console& console,
                        std::ostream& err, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    plan::RemotePlan p =
        plan::planRemote(o.setup, o.common.builder.value, ci.session, plan::LocalFiles(), problems);
    PreparedBuild build = BuildCommand::plan(o, ci, env, problems);
    refuseState(o, problems);
    conn.check(problems, [&] { BuildCommand::checkEngine(o, build.request, conn, problems); });
    cli::OptionParser::throwIfAny(problems, o.command);
    BuildCommand::announce(build, console);
    report::CiReport rep(ci, o.common.resultFile.value, o.build.dotenvFile.value, err);
    rep.maskSecrets();
    report::RunReport rr = BuildCommand::report("run", p.spec.name, build);
    rr.driver = "remote";
    const builder::BuildxStore store(plan::buildxDir(env, conn.dockerConfig().dir()));
    const bool recorded = store.has(p.spec.name); // a builder set up before stays
    Poco::Timestamp started;
    try
    {
        rep.begin("setup", "hoist setup " + p.spec.name);
        builder::BuilderStatus status;
        auto channel = connect(p.spec, p.tls, o, env, conn, ci, console, status);
        store.saveRemote(p.spec); // the job's docker buildx steps find it meanwhile
        rr.builderAction = "created";
        rr.buildkitVersion = status.buildkitVersion;
        rr.platforms = status.platforms;
        console.note("builder " + p.spec.name + ": BuildKit " + status.buildkitVersion + " at " +
                     p.spec.endpoint);
        rep.end();
        rep.begin("build", "hoist build");
        const std::string fence = rep.fence();
        try
        {
            LiveView view(o, env, console, err, "hoist run");
            rr.build = BuildCommand::execute(*channel, p.spec.name, build, conn, env, o, err,
                                             console, view.panel());
        }
        catch (...)
        {
            rep.unfence(fence);
            throw;
        }
        rep.unfence(fence);
        rr.built = true;
        rep.end();
    }
    catch (const Poco::Exception& e)
    {
        rep.end();
        if (!recorded)
            store.remove(p.spec.name);
        rep.fail(rr, e, started.elapsed() / 1e6);
        throw;
    }
    rep.begin("teardown", "hoist teardown " + p.spec.name);
    if (!recorded)
        store.remove(p.spec.name);
    rep.end();
    rr.seconds = started.elapsed() / 1e6;
    rep.finish(rr);
    return base::EXIT_OK;
}

int RemoteCommands::teardown(const builder::RemoteSpec& spec, const cli::Options& o,
                             const std::string& buildxDir, report::Console& console)
{
    base::Problems problems;
    refuseState(o, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    builder::BuildxStore(buildxDir).remove(spec.name);
    console.print("builder " + spec.name + " removed from buildx's store; the remote daemon at " +
                  spec.endpoint + " and its cache are as they were\n");
    return base::EXIT_OK;
}

int RemoteCommands::inspect(const builder::RemoteSpec& spec, const cli::Options& o,
                            const base::Env& env, EngineConnection& conn, report::Console& console)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    base::Problems problems;
    builder::RemoteTls tls = plan::readRemoteTls(
        spec, "the remote builder " + spec.name + "'s driver-opt", plan::LocalFiles(), problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    builder::BuilderStatus status;
    connect(spec, std::move(tls), o, env, conn, ci, console, status).reset();
    if (!o.common.json.value)
        console.print(report::BuilderView::text(status));
    else
    {
        std::ostringstream out;
        report::BuilderView::json(status)->stringify(out, 2);
        console.print(out.str() + "\n");
    }
    return base::EXIT_OK;
}

} // namespace hoist::app
