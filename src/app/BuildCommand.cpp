// This file implements `hoist build`: the build planned and prepared, the engine checked, then
// the build run on the running builder with the registry credentials, its progress, and the
// metadata, iid and digest files it writes. `hoist run` shares the running of the build.

#include "app/BuildCommand.h"

#include "app/FleetRun.h"
#include "app/LiveView.h"
#include "app/RemoteCommands.h"
#include "app/Settings.h"
#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"
#include "builder/BuildxStore.h"
#include "buildrun/BuildOutputs.h"
#include "buildrun/BuildRunner.h"
#include "buildrun/BuildVerdict.h"
#include "cli/OptionParser.h"
#include "engine/ImageRef.h"
#include "engine/RegistryAuth.h"
#include "engine/ScopedCredentials.h"
#include "engine/System.h"
#include "plan/BuilderPlan.h"
#include "plan/CredentialStep.h"
#include "plan/LocalFiles.h"
#include "qemu/Registrar.h"
#include "report/CallView.h"
#include "report/CiReport.h"
#include "report/ProgressPrinter.h"

#include <Poco/File.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <map>
#include <sstream>

#include <unistd.h>

namespace hoist::app
{

report::RunReport BuildCommand::report(const std::string& command, const std::string& builder,
                                       const PreparedBuild& build)
{
    const buildrun::BuildRequest& r = build.request;
    report::RunReport rr;
    rr.command = command;
    rr.builder = builder;
    rr.ciDefaults = build.ciDefaults;
    rr.ciDefaultsOff = build.ciDefaultsOff;
    rr.tags = r.tags;
    rr.dockerfile = r.dockerfileDir + "/" + r.dockerfileName;
    rr.byDigest = r.byDigest;
    rr.platformKey = buildrun::platformKey(r.platforms);
    return rr;
}

namespace
{

// A leg pushed by digest leaves NAME@DIGEST in a file named for its platforms (the plan
// requires some), for hoist merge.
void recordDigest(const buildrun::BuildRequest& r, const std::string& digest)
{
    if (digest.empty())
        throw base::UnavailableException("the build pushed " + r.byDigest +
                                         " by digest and BuildKit did not say which digest");
    Poco::File(r.digestsDir).createDirectories();
    base::AtomicFile::put(r.digestsDir + "/" + buildrun::platformKey(r.platforms),
                          r.byDigest + "@" + digest + "\n");
}

} // namespace

PreparedBuild BuildCommand::plan(const cli::Options& o, const ci::CiContext& ci,
                                 const base::Env& env, base::Problems& problems)
{
    problems.insert(problems.end(), ci.switchProblems.begin(), ci.switchProblems.end());
    plan::BuildPlan p = plan::planBuild(o.build, ci, env, plan::LocalFiles(), problems);
    PreparedBuild prepared = prepare(p, env, problems);
    prepared.ciDefaultsOff = Settings::ciDefaultsOff(o);
    prepared.warnings.insert(prepared.warnings.end(), ci.switchWarnings.begin(),
                             ci.switchWarnings.end());
    return prepared;
}

void BuildCommand::announce(const PreparedBuild& build, report::Console& console)
{
    for (const auto& w : build.warnings)
        console.warning(w);
    if (!build.ciDefaults.empty())
        console.note("CI defaults: " + base::join(build.ciDefaults, "; ") + " (" +
                     build.ciDefaultsOff + ")");
}

int BuildCommand::run(const cli::Options& o, const base::Env& env, report::Console& console,
                      std::ostream& err, base::Problems problems)
{
    if (FleetRun::holds(env, o.common.builder.value))
        return FleetRun::build(o, env, console, err, std::move(problems));
    ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    // Commands go to stderr with the build's output, so the fence keeps its place in the log.
    report::CiReport rep(ci, o.common.resultFile.value, o.build.dotenvFile.value, err);
    PreparedBuild build = plan(o, ci, env, problems);
    EngineConnection conn(env, o.common);
    conn.check(problems, [&] { checkEngine(o, build.request, conn, problems); });
    cli::OptionParser::throwIfAny(problems, o.command);
    announce(build, console);
    rep.maskSecrets();
    builder::BuilderSpec spec;
    spec.name = o.common.builder.value;
    spec.session = ci.session; // whose build holds the builder, as others see it
    builder::Builder b(conn.client(), spec, [&](const std::string& n) { console.note(n); });
    const std::optional<builder::RemoteSpec> remote = RemoteCommands::stored(o, env, conn);
    std::unique_ptr<builder::RemoteBuilder> remoteChannel;
    Poco::Timestamp started;
    report::RunReport rr = report("build", spec.name, build);
    try
    {
        builder::BuildChannel* channel = &b;
        if (remote)
        {
            remoteChannel = RemoteCommands::open(*remote, o, env, conn, ci, console);
            channel = remoteChannel.get();
        }
        else if (!b.running())
            throw base::UnavailableException("no running builder " + base::quoted(spec.name) +
                                             " (container " + spec.containerName() +
                                             ")\nhint: hoist setup " + o.common.builder.flag() +
                                             " " + spec.name + " makes it");
        else
            emulate(o, env, ci, conn, b, build.request.platforms, console);
        rep.begin("build", "hoist build");
        const std::string fence = rep.fence();
        try
        {
            LiveView view(o, env, console, err, "hoist build");
            rr.build =
                execute(*channel, spec.name, build, conn, env, o, err, console, view.panel());
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
        rep.fail(rr, e, started.elapsed() / 1e6);
        throw;
    }
    rr.seconds = started.elapsed() / 1e6;
    rep.finish(rr);
    return base::EXIT_OK;
}

void BuildCommand::emulate(const cli::Options& o, const base::Env& env, const ci::CiContext& ci,
                           EngineConnection& conn, builder::Builder& b,
                           const std::vector<std::string>& platforms, report::Console& console)
{
    // Nothing to look at when every platform is the engine's own (most builds).
    const std::string arch = platforms.empty() ? "" : b.engineArch();
    if (std::all_of(platforms.begin(), platforms.end(),
                    [&](const std::string& p)
                    { return base::split(p, '/').size() > 1 && base::split(p, '/')[1] == arch; }))
        return;
    const engine::RegistryAuth auth = conn.registryAuth(env, ci);
    try
    {
        qemu::Registrar(
            conn.client(), auth, Settings::qemuHints(o),
            [&](const std::string& n) { console.note(n); },
            [&](const std::string& w) { console.warning(w); })
            .quietWhenReady()
            .run(platforms, qemu::modeNamed(o.setup.qemu.value), o.setup.qemuImage.value,
                 b.containerImageId());
    }
    catch (const base::UnavailableException& e)
    {
        // A build that never runs a step of a foreign platform (cross-compiling from
        // $BUILDPLATFORM) needs no emulator: BuildKit says so if a step does.
        console.warning(base::userMessage(e) + "; steps that run for those platforms will fail");
    }
}

void BuildCommand::checkEngine(const cli::Options& o, const buildrun::BuildRequest& r,
                               EngineConnection& conn, base::Problems& problems)
{
    bool load = false;
    for (const auto& out : r.outputs)
        load = load || (out.type == buildrun::OutputType::Docker && out.hostDest.empty());
    if (load && r.platforms.size() > 1 && !engine::System(conn.client()).info().containerdStore())
        problems.push_back(
            base::Problem{o.build.load.name(),
                          o.build.load.name() + " of " + std::to_string(r.platforms.size()) +
                              " platforms needs the engine's containerd image store; this engine "
                              "has the classic one, which holds one platform per image",
                          "push with " + o.build.push.flag() + ", write " + o.build.outputs.flag() +
                              " type=oci,dest=FILE, or load one platform at "
                              "a time"});
}

namespace
{

// The build's summary as lines kept above the live panel.
void summarize(const buildrun::BuildSummary& summary, report::LivePanel& panel)
{
    std::ostringstream text;
    report::ProgressPrinter(text, report::ProgressPrinter::Mode::Tty).summary(summary);
    for (const auto& l : base::split(text.str(), '\n'))
    {
        if (!l.empty())
            panel.line(l);
    }
}

} // namespace

buildrun::BuildSummary BuildCommand::execute(builder::BuildChannel& channel,
                                             const std::string& builderName,
                                             const PreparedBuild& build, EngineConnection& conn,
                                             const base::Env& env, const cli::Options& o,
                                             std::ostream& err, report::Console& console,
                                             report::LivePanel* panel)
{
    buildrun::BuildRequest r = build.request;
    const std::string buildxDir = plan::buildxDir(env, conn.dockerConfig().dir());
    r.nodeId = builder::BuildxStore(buildxDir).nodeIdentifier();
    std::vector<std::string> hosts = r.registryHosts;
    for (const auto& [key, entry] : conn.dockerConfig().auths())
        hosts.push_back(engine::RegistryAuth::hostOf(key));
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    for (const auto& login : ci.logins)
        hosts.push_back(login.host);
    engine::RegistryAuth auth = conn.registryAuth(env, ci);
    for (const auto& [host, login] :
         plan::scopedLogins(r, engine::ScopedCredentials::load(buildxDir, env), ci.registry.host))
        auth.add(host, login);
    const std::string authConfig = auth.authsConfig(hosts);
    // Without a panel, a tty mode is plain: its lines are a log's (a CI job's, --progress tty
    // off a terminal reaches the panel).
    using Mode = report::ProgressPrinter::Mode;
    const Mode mode = report::ProgressPrinter::modeFor(
        o.build.quiet.value ? "quiet" : o.build.progress.value, false);
    report::ProgressPrinter printer(err, mode == Mode::Tty ? Mode::Plain : mode);
    buildrun::BuildRunner runner(channel, r, build.context, authConfig);
    runner.setMirrorManifests(base::cacheDir(env) + "/mirrors");
    if (panel)
    {
        panel->setTarget(builderName, r.platforms);
        // The tar's size: the files' bytes, and a header (and padding) of about 1 KiB each.
        const std::uint64_t total = build.context.bytes() + 1024ULL * build.context.files();
        const std::size_t files = build.context.files();
        runner.setUploadProgress([panel, total, files](std::uint64_t sent, bool done)
                                 { panel->upload(sent, total, files, done); });
    }
    buildrun::BuildSummary summary = runner.run([&](const buildrun::StepEvent& e)
                                                { panel ? panel->event(e) : printer.event(e); });
    buildrun::BuildOutputs::addBuildxKeys(summary, builderName, r.metadataWarnings);
    if (panel)
        summarize(summary, *panel);
    else
        printer.summary(summary);
    if (!r.metadataFile.empty())
        base::AtomicFile::put(r.metadataFile,
                              (summary.metadata.empty() ? "{}" : summary.metadata) + "\n");
    if (!r.iidFile.empty())
        base::AtomicFile::put(r.iidFile, summary.imageId);
    if (!r.digestsDir.empty())
        recordDigest(r, summary.digest);
    if (!r.call.empty())
    {
        console.print(report::CallView::text(r.call, summary));
        buildrun::BuildVerdict::ofCheck(r.call, summary).throwIfFailed();
    }
    else if (o.build.quiet.value)
        console.print((summary.imageId.empty() ? summary.digest : summary.imageId) + "\n");
    return summary;
}

} // namespace hoist::app
