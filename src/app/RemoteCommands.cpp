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
#include "base/Strings.h"
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

// buildx's store may hold a builder of that name already: a remote one is set up again (its
// endpoint and options replaced, as a job's setup does), another driver's is not taken over.
void refuseOtherDriver(const builder::BuildxStore& store, const std::string& name,
                       const cli::Options& o, base::Problems& problems)
{
    if (store.has(name) && !store.remote(name))
        problems.push_back(base::Problem{
            o.common.builder.name(),
            "builder " + base::quoted(name) + " exists already with another driver than remote",
            "choose another " + o.common.builder.flag() + ", or remove it first (hoist teardown " +
                o.common.builder.flag() + " " + name + ")"});
}

// teardown's options that act on a state volume, which a remote builder does not have
// (keep-state is fine either way: setup-buildx-action's default is false, and hoist never
// removes a remote daemon's cache).
void refuseStateTeardown(const cli::Options& o, base::Problems& problems)
{
    if (!o.state.to.value.empty())
        problems.push_back(base::Problem{o.state.to.name(),
                                         o.state.to.name() + " saves a state volume; a remote "
                                                             "daemon keeps its own state",
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

// The certificates of a builder in buildx's store, once hoist can use it as it is.
builder::RemoteTls storedTls(const builder::RemoteSpec& spec, const cli::Options& o)
{
    base::Problems problems;
    const std::string option = "the remote builder " + spec.name + " in buildx's store:";
    plan::checkRemote(spec, option, problems);
    builder::RemoteTls tls = plan::readRemoteTls(spec, option, plan::LocalFiles(), problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    return tls;
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
    for (const auto* qemu : {&o.setup.qemu, &o.setup.qemuImage})
    {
        if (qemu->given())
            problems.push_back(base::Problem{
                qemu->name(),
                qemu->name() + " registers emulators on the local engine; the remote daemon's "
                               "host registers its own",
                "remove " + qemu->name()});
    }
    cli::OptionParser::throwIfAny(problems, o.command);
    builder::BuilderStatus status;
    return connect(spec, storedTls(spec, o), o, env, conn, ci, console, status);
}

int RemoteCommands::setup(const cli::Options& o, const base::Env& env, report::Console& console,
                          std::ostream& out, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    plan::RemotePlan p = plan::planRemote(o, ci.session, plan::LocalFiles(), problems);
    const builder::BuildxStore store(plan::buildxDir(env, conn.dockerConfig().dir()));
    refuseOtherDriver(store, p.spec.name, o, problems);
    conn.check(problems, [] {});
    cli::OptionParser::throwIfAny(problems, o.command);
    Poco::Timestamp started;
    builder::BuilderStatus status;
    connect(p.spec, p.tls, o, env, conn, ci, console, status).reset();
    store.saveRemote(p.spec);
    if (o.setup.use.value)
        store.use(p.spec.name, conn.client().endpoint().buildxName());
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
    plan::RemotePlan p = plan::planRemote(o, ci.session, plan::LocalFiles(), problems);
    PreparedBuild build = BuildCommand::plan(o, ci, env, problems);
    const builder::BuildxStore store(plan::buildxDir(env, conn.dockerConfig().dir()));
    refuseOtherDriver(store, p.spec.name, o, problems);
    conn.check(problems, [&] { BuildCommand::checkEngine(o, build.request, conn, problems); });
    cli::OptionParser::throwIfAny(problems, o.command);
    BuildCommand::announce(build, console);
    report::CiReport rep(ci, o.common.resultFile.value, o.build.dotenvFile.value, err);
    rep.maskSecrets();
    report::RunReport rr = BuildCommand::report("run", p.spec.name, build);
    rr.driver = "remote";
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
    refuseStateTeardown(o, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    builder::BuildxStore(buildxDir).remove(spec.name);
    console.print("builder " + spec.name + " removed from buildx's store; the remote daemon at " +
                  spec.endpoint + " and its cache are as they were\n");
    return base::EXIT_OK;
}

builder::BuilderStatus RemoteCommands::status(const builder::RemoteSpec& spec,
                                              const cli::Options& o, const base::Env& env,
                                              EngineConnection& conn, report::Console& console)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    builder::BuilderStatus status;
    connect(spec, storedTls(spec, o), o, env, conn, ci, console, status).reset();
    return status;
}

builder::BuilderStatus RemoteCommands::inspect(const builder::RemoteSpec& spec,
                                               const cli::Options& o, const base::Env& env,
                                               EngineConnection& conn, report::Console& console)
{
    builder::BuilderStatus status;
    try
    {
        status = RemoteCommands::status(spec, o, env, conn, console);
    }
    catch (const base::UnavailableException& e)
    {
        // As buildx's inspect says it: the builder is there, its daemon inactive, and why.
        status = builder::BuilderStatus{};
        status.name = spec.name;
        status.driver = "remote";
        status.endpoint = spec.endpoint;
        status.driverOpts = optsJson(spec);
        console.warning(base::userMessage(e));
    }
    return status;
}

} // namespace hoist::app
