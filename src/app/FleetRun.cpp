// This file implements the commands on a multi-node builder: the nodes read (from --node or
// buildx's store), the build planned and shared out, the legs run, and pushed legs merged
// under the tags.

#include "app/FleetRun.h"

#include "app/BuildCommand.h"
#include "app/BuildInfo.h"
#include "app/BuilderCommands.h"
#include "app/FleetLegs.h"
#include "app/MergeCommand.h"
#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/BuildxStore.h"
#include "cli/OptionParser.h"
#include "engine/DockerConfig.h"
#include "engine/ImageRef.h"
#include "engine/Images.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "qemu/Emulation.h"
#include "registry/OciArchive.h"
#include "report/BuilderView.h"
#include "report/CiReport.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <sstream>

namespace hoist::app
{

namespace
{

builder::BuildxStore storeOf(const base::Env& env)
{
    return builder::BuildxStore(plan::buildxDir(env, engine::DockerConfig::load(env).dir()));
}

// The nodes buildx's store holds for builder.
std::vector<plan::NodeSpec> storedNodes(const base::Env& env, const std::string& builder)
{
    std::vector<plan::NodeSpec> out;
    for (const auto& n : storeOf(env).nodes(builder))
        out.push_back({n.name, n.endpoint, n.platforms, n.driverOpts});
    return out;
}

// Each leg's builder: the command's builder, named by its node.
void specify(std::vector<fleet::Leg>& legs, const cli::Options& o, const ci::CiContext& ci,
             base::Problems& problems)
{
    // The state's locations checked once, as given; each node's is made from them.
    plan::planState(o.state, ci, problems);
    for (auto& leg : legs)
    {
        leg.spec = plan::planBuilder(leg.options.setup,
                                     {o.common.builder.value,
                                      plan::buildxDir(leg.env, leg.conn->dockerConfig().dir()),
                                      BuildInfo::current().version},
                                     ci, leg.env, plan::LocalFiles(), problems);
        leg.spec.node = leg.node.name;
        base::Problems given; // said above, of the locations the user gave
        leg.state = plan::planState(leg.options.state, ci, given, leg.spec.config);
        // The CI's defaults are one engine's (GitLab's docker:dind): a node's state travels
        // where --state-from/--state-to say.
        if (!leg.state.defaults.empty())
        {
            leg.state.from.clear();
            leg.state.to.reset();
            leg.state.defaults.clear();
        }
    }
}

// The legs of nodes, every problem at once: an engine that cannot be reached matters once
// there are none.
std::vector<fleet::Leg> reach(const cli::Options& o, const base::Env& env,
                              const std::vector<plan::NodeSpec>& nodes, base::Problems& problems)
{
    try
    {
        return fleet::legsOf(o, env, nodes);
    }
    catch (const base::UnavailableException&)
    {
        if (problems.empty())
            throw;
    }
    return {};
}

// What the legs' parts become once every node is done: an OCI layout joined from them, or the
// one node's docker archive loaded into the command's engine (--load).
void finishParts(const std::vector<fleet::Leg>& legs, const buildrun::Output& local,
                 const std::string& digests, const cli::Options& o, const base::Env& env,
                 report::Console& console)
{
    if (local.type == buildrun::OutputType::Docker)
    {
        EngineConnection conn(env, o.common);
        const std::string part = fleet::dockerPart(legs.front(), digests);
        const std::vector<std::string> loaded =
            engine::Images(conn.client())
                .load(
                    [&](std::ostream& body)
                    {
                        Poco::FileInputStream in(part);
                        Poco::StreamCopier::copyStream(in, body, 64 * 1024);
                    },
                    nullptr);
        console.note("node " + legs.front().node.name + "'s image loaded into " +
                     conn.client().endpoint().url() + ": " + base::join(loaded, ", "));
        return;
    }
    std::vector<registry::OciPart> files;
    for (const auto& leg : legs)
        files.push_back({fleet::ociPart(leg, digests), leg.share});
    registry::OciArchive::join(files, local.hostDest,
                               local.attr("tar") == "false"
                                   ? registry::OciArchive::Layout::Directory
                                   : registry::OciArchive::Layout::Archive);
}

// Runs step on the legs; the parts of an OCI layout or a load are finished, and removed.
void runAndFinish(std::vector<fleet::Leg>& legs, fleet::Step step, const buildrun::Output* local,
                  const std::string& digests, const cli::Options& o, const base::Env& env,
                  report::Console& console, std::ostream& err)
{
    const bool parts =
        local && (local->type == buildrun::OutputType::Oci ||
                  (local->type == buildrun::OutputType::Docker && local->hostDest.empty()));
    if (!parts)
    {
        fleet::runLegs(legs, step, err);
        return;
    }
    Poco::File dir(digests + ".parts");
    dir.createDirectories();
    try
    {
        fleet::runLegs(legs, step, err);
        finishParts(legs, *local, digests, o, env, console);
    }
    catch (...)
    {
        dir.remove(true);
        throw;
    }
    dir.remove(true);
}

// A build (run's or build's) on the legs: planned, shared out, each leg's share planned, the
// step run, pushed legs merged under the tags.
int buildOn(std::vector<fleet::Leg>& legs, fleet::Step step, const cli::Options& o,
            const base::Env& env, report::Console& console, std::ostream& err,
            base::Problems& problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    const PreparedBuild whole = BuildCommand::plan(o, ci, env, problems);
    fleet::refuseUnsupported(o, whole, problems);
    if (whole.request.platforms.empty())
        problems.push_back({o.build.platforms.name(),
                            "a builder of nodes shares out " + o.build.platforms.flag() +
                                ": give the platforms to build",
                            ""});
    fleet::shareOut(legs, whole.request.platforms, o.build.platforms.name(), problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    legs.erase(std::remove_if(legs.begin(), legs.end(),
                              [](const fleet::Leg& l) { return l.share.empty(); }),
               legs.end());
    const std::string repository =
        o.build.push.value ? engine::ImageRef::parse(whole.request.tags.front()).name : "";
    Poco::TemporaryFile digests;
    digests.createDirectories();
    for (auto& leg : legs)
        leg.options = fleet::legOptions(o, leg, whole, repository, digests.path());
    specify(legs, o, ci, problems);
    for (auto& leg : legs)
    {
        leg.build = BuildCommand::plan(leg.options, ci, leg.env, problems);
        console.note("node " + leg.node.name + " (" + leg.arch + ", " +
                     leg.conn->client().endpoint().url() + ") builds " +
                     base::join(leg.share, ", "));
    }
    cli::OptionParser::throwIfAny(problems, o.command);
    const buildrun::Output* local = fleet::localOutput(whole);
    runAndFinish(legs, step, local, digests.path(), o, env, console, err);
    if (!o.build.push.value)
    {
        if (!local->hostDest.empty())
            console.note("built on " + std::to_string(legs.size()) + " nodes into " +
                         local->hostDest);
        return base::EXIT_OK;
    }
    // The legs joined under the tags, as hoist merge does.
    cli::Options m = o;
    m.command = "merge";
    m.merge.sources.value.clear(); // a build's positional is its context
    m.merge.tags.value = whole.request.tags;
    m.merge.digestsDir.value = digests.path();
    m.merge.digestsDir.source.origin = cli::Origin::Flag;
    m.merge.insecureRegistries.value = o.state.insecureRegistries.value;
    m.merge.metadataFile.value = o.build.metadataFile.value;
    m.merge.annotations.value.clear();
    for (const auto& a : o.build.annotations.value)
    {
        if (fleet::indexLevel(a))
            m.merge.annotations.value.push_back(a);
    }
    return MergeCommand::run(m, env, console, err, {});
}

} // namespace

int FleetRun::run(const cli::Options& o, const base::Env& env, report::Console& console,
                  std::ostream& err, base::Problems problems)
{
    std::vector<plan::NodeSpec> nodes = plan::planNodes(o.setup.nodes, problems);
    plan::nameNodes(nodes, o.common.builder.value, o.setup.nodes.name(), problems);
    std::vector<fleet::Leg> legs = reach(o, env, nodes, problems);
    return buildOn(legs, fleet::Step::Run, o, env, console, err, problems);
}

namespace
{

// What setup of nodes cannot do, and the platforms it registers QEMU for, shared out.
void checkSetup(const cli::Options& o, std::vector<fleet::Leg>& legs, base::Problems& problems)
{
    fleet::refuseDriver(o, problems);
    // Setup's platforms: each node registers QEMU for those it will build.
    fleet::shareOut(
        legs,
        qemu::Emulation::platforms(o.setup.platforms.value, o.setup.platforms.name(), problems),
        o.setup.platforms.name(), problems);
}

// The builder of legs in buildx's store (and made current, the docker alias set, as asked);
// returns setup's report.
report::RunReport record(const cli::Options& o, const base::Env& env, std::vector<fleet::Leg>& legs,
                         report::Console& console)
{
    std::vector<builder::BuildxStore::Node> stored;
    report::RunReport r;
    r.command = "setup";
    r.builder = o.common.builder.value;
    for (const auto& leg : legs)
    {
        stored.push_back(
            {leg.spec, leg.conn->client().endpoint().buildxName(), leg.node.platforms});
        for (const auto& p : leg.platforms)
        {
            if (std::find(r.platforms.begin(), r.platforms.end(), p) == r.platforms.end())
                r.platforms.push_back(p);
        }
        console.print(leg.node.name + ": " + leg.spec.containerName() + " on " +
                      leg.conn->client().endpoint().url() + " (" + base::join(leg.platforms, ", ") +
                      ")\n");
    }
    const builder::BuildxStore store = storeOf(env);
    store.saveNodes(o.common.builder.value, stored);
    r.endpoint = stored.front().endpoint;
    if (o.setup.use.value)
    {
        // buildx keys its current builder by the engine the docker CLI uses, not a node's.
        store.use(o.common.builder.value,
                  EngineConnection(env, o.common).client().endpoint().buildxName());
        r.current = true;
    }
    if (o.setup.install.value)
        BuilderCommands::installAlias(legs.front().conn->dockerConfig().dir(), console);
    return r;
}

} // namespace

int FleetRun::setup(const cli::Options& o, const base::Env& env, report::Console& console,
                    std::ostream& out, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    std::vector<plan::NodeSpec> nodes = plan::planNodes(o.setup.nodes, problems);
    plan::nameNodes(nodes, o.common.builder.value, o.setup.nodes.name(), problems);
    std::vector<fleet::Leg> legs = reach(o, env, nodes, problems);
    checkSetup(o, legs, problems);
    specify(legs, o, ci, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    try
    {
        fleet::runLegs(legs, fleet::Step::Setup, console.errors());
    }
    catch (const Poco::Exception&)
    {
        // The nodes that did set up go again: no builder is recorded to tear them down later.
        base::Cancellation::Cleanup cleanup;
        std::vector<fleet::Leg> made;
        for (auto& leg : legs)
        {
            if (!leg.failure.empty())
                continue;
            leg.options.teardown.keepState.value = true; // a state it found stays
            made.push_back(std::move(leg));
        }
        try
        {
            fleet::runLegs(made, fleet::Step::Teardown, console.errors());
        }
        catch (const Poco::Exception& e)
        {
            console.warning(base::userMessage(e));
        }
        throw;
    }
    report::CiReport(ci, o.common.resultFile.value, "", out).finish(record(o, env, legs, console));
    return base::EXIT_OK;
}

bool FleetRun::holds(const base::Env& env, const std::string& builder)
{
    const auto nodes = storeOf(env).nodes(builder);
    return nodes.size() > 1 || (nodes.size() == 1 && nodes[0].name != Poco::toLower(builder) + "0");
}

int FleetRun::build(const cli::Options& o, const base::Env& env, report::Console& console,
                    std::ostream& err, base::Problems problems)
{
    // The registries the builder's buildkitd config names (plain http, CAs) reach the merge.
    cli::Options withConfig = o;
    const auto stored = storeOf(env).nodes(o.common.builder.value);
    if (!stored.empty() && !stored.front().buildkitdConfig.empty())
    {
        withConfig.setup.buildkitdConfigInline.value = stored.front().buildkitdConfig;
        withConfig.setup.buildkitdConfigInline.source.origin = cli::Origin::Flag;
    }
    std::vector<fleet::Leg> legs =
        reach(withConfig, env, storedNodes(env, o.common.builder.value), problems);
    return buildOn(legs, fleet::Step::Build, withConfig, env, console, err, problems);
}

std::vector<doctor::Finding> FleetRun::findings(const cli::Options& o, const base::Env& env)
{
    std::vector<doctor::Finding> out;
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    for (const auto& node : storedNodes(env, o.common.builder.value))
    {
        const std::string check = "node " + node.name;
        try
        {
            std::vector<fleet::Leg> legs = fleet::legsOf(o, env, {node});
            base::Problems problems;
            specify(legs, o, ci, problems);
            const fleet::Leg& leg = legs.front();
            builder::Builder b(leg.conn->client(), leg.spec, [](const std::string&) {});
            const std::string where = leg.spec.containerName() + " on " +
                                      leg.conn->client().endpoint().url() + " (" + leg.arch + ")";
            if (b.running())
                out.push_back({check, "ok", where + " runs", ""});
            else
                out.push_back({check, "warn", where + " does not run",
                               "hoist setup " + o.common.builder.flag() + " " +
                                   o.common.builder.value + " --node … sets it up"});
        }
        catch (const Poco::Exception& e)
        {
            out.push_back(
                {check, "fail", base::split(base::userMessage(e), '\n').front(),
                 "the node needs its engine at " +
                     (node.endpoint.empty() ? std::string("DOCKER_HOST") : node.endpoint) +
                     " reachable from here: a unix socket hoist may use, tcp:// with "
                     "DOCKER_TLS_VERIFY/DOCKER_CERT_PATH or a docker context's TLS "
                     "files, or ssh:// with a login that asks nothing and docker on "
                     "the far side"});
        }
    }
    return out;
}

int FleetRun::inspect(const cli::Options& o, const base::Env& env, report::Console& console)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    base::Problems problems;
    std::vector<fleet::Leg> legs = fleet::legsOf(o, env, storedNodes(env, o.common.builder.value));
    specify(legs, o, ci, problems);
    Poco::JSON::Array nodes;
    for (auto& leg : legs)
    {
        builder::Builder b(leg.conn->client(), leg.spec,
                           [&](const std::string& n) { console.note(n); });
        const builder::BuilderStatus s = b.inspect();
        if (o.common.json.value)
            nodes.add(report::BuilderView::json(s));
        else
            console.print("node:       " + leg.node.name + " on " +
                          leg.conn->client().endpoint().url() +
                          (leg.node.platforms.empty()
                               ? ""
                               : " (pinned " + base::join(leg.node.platforms, ", ") + ")") +
                          "\n" + report::BuilderView::text(s));
    }
    if (o.common.json.value)
    {
        std::ostringstream out;
        nodes.stringify(out, 2);
        console.print(out.str() + "\n");
    }
    return base::EXIT_OK;
}

int FleetRun::teardown(const cli::Options& o, const base::Env& env, report::Console& console,
                       base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    fleet::refuseGiven({&o.teardown.keepDaemon.source}, "a builder of nodes",
                       "tear it down without it; --keep-state keeps each node's state", problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    // Every node that answers is torn down; one that does not keeps the store entry.
    std::vector<fleet::Leg> legs;
    std::vector<std::string> unreachable;
    for (const auto& node : storedNodes(env, o.common.builder.value))
    {
        try
        {
            for (auto& leg : fleet::legsOf(o, env, {node}))
                legs.push_back(std::move(leg));
        }
        catch (const Poco::Exception& e)
        {
            unreachable.push_back(base::split(base::userMessage(e), '\n').front());
        }
    }
    specify(legs, o, ci, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    fleet::runLegs(legs, fleet::Step::Teardown, console.errors());
    if (!unreachable.empty())
        throw base::UnavailableException(
            base::join(unreachable, "\n") +
            "\nthe other nodes' builders are removed; the builder " + o.common.builder.value +
            " stays in buildx's store for a teardown once those answer");
    storeOf(env).remove(o.common.builder.value);
    return base::EXIT_OK;
}

} // namespace hoist::app
