// This file implements `hoist run` on a multi-node builder: the nodes read and their engines
// asked for their architectures, the platforms shared out, each node's setup, build and
// teardown on a thread of its own, and the legs merged under the tags.

#include "app/FleetRun.h"

#include "app/BuildCommand.h"
#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "app/MergeCommand.h"
#include "app/Settings.h"
#include "app/SetupStep.h"
#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Builder.h"
#include "cli/OptionParser.h"
#include "engine/ImageRef.h"
#include "engine/System.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/NodePlan.h"
#include "report/PrefixedLines.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Thread.h>

#include <algorithm>
#include <memory>
#include <thread>

namespace hoist::app
{

namespace
{

// One node's part of the run.
struct Leg
{
    plan::NodeSpec node;
    base::Env env;
    std::unique_ptr<EngineConnection> conn;
    std::string arch;
    std::vector<std::string> share; // the platforms it builds
    cli::Options options;           // the run's, for this node's setup and leg
    builder::BuilderSpec spec;
    std::string failure; // what went wrong, "" when it built
    int exitCode = base::EXIT_OK;
};

// The environment that reaches endpoint: a URL as DOCKER_HOST, a name as a docker context.
base::Env envFor(const base::Env& env, const std::string& endpoint)
{
    if (endpoint.empty())
        return env;
    if (endpoint.find("://") == std::string::npos)
        return env.without("DOCKER_HOST").with("DOCKER_CONTEXT", endpoint);
    return env.without("DOCKER_CONTEXT").with("DOCKER_HOST", endpoint);
}

// The one local output of a run on nodes, or nullptr.
const buildrun::Output* localOutput(const PreparedBuild& whole)
{
    for (const auto& out : whole.request.outputs)
    {
        if (out.type == buildrun::OutputType::Local)
            return &out;
    }
    return nullptr;
}

// What a build on nodes cannot do yet, as problems naming the options given.
void refuseUnsupported(const cli::Options& o, const PreparedBuild& whole, base::Problems& problems)
{
    const std::string hint = "a build on nodes pushes to its --tag values (--push) and writes "
                             "-o type=local; build other outputs on one engine";
    const std::string nodes = o.setup.nodes.name();
    if (o.setup.driver.value != "docker-container")
        problems.push_back({nodes,
                            nodes + " makes docker-container nodes; " + o.setup.driver.name() +
                                " " + o.setup.driver.value + " cannot have nodes",
                            ""});
    std::size_t others = 0;
    for (const auto& out : whole.request.outputs)
        others += out.type != buildrun::OutputType::Local && !o.build.push.value ? 1 : 0;
    const std::size_t locals = localOutput(whole) ? 1 : 0;
    if (o.build.outputs.value.size() > locals || others > 0)
        problems.push_back({o.build.outputs.name(),
                            o.build.outputs.name() + " other than one type=local with " + nodes +
                                " is not supported yet",
                            hint});
    if (!o.build.push.value && locals == 0)
        problems.push_back({nodes,
                            nodes + " needs " + o.build.push.flag() + " or " +
                                o.build.outputs.flag() + " type=local,dest=DIR",
                            hint});
    for (const auto* given :
         {&o.build.pushByDigest.source, &o.state.from.source, &o.state.to.source})
    {
        if (given->origin != cli::Origin::Default)
            problems.push_back(
                {given->name, given->name + " with " + nodes + " is not supported yet", hint});
    }
    if (o.build.load.value)
        problems.push_back({o.build.load.name(),
                            o.build.load.name() + " with " + nodes + " is not supported yet",
                            hint});
}

// Where leg's share of a local output goes: as BuildKit splits a multi-platform export, a
// directory a platform (linux_arm_v7) unless platform-split=false; a leg of several platforms
// is split by its own BuildKit.
std::string localDest(const buildrun::Output& out, const std::vector<std::string>& share,
                      std::size_t platforms)
{
    if (platforms < 2 || share.size() != 1 || out.attr("platform-split") == "false")
        return out.hostDest;
    std::string dir = share.front();
    std::replace(dir.begin(), dir.end(), '/', '_');
    return out.hostDest + "/" + dir;
}

// o building only platforms, with the run's other options.
cli::Options withPlatforms(cli::Options o, const std::vector<std::string>& platforms)
{
    o.build.platforms.value = {base::join(platforms, ",")};
    return o;
}

// The options of leg's node: its driver options after the run's; its build pushes its
// platforms by digest into repository, recording them in digests.
cli::Options legOptions(const cli::Options& o, const Leg& leg, const PreparedBuild& whole,
                        const std::string& repository, const std::string& digests)
{
    cli::Options n = o;
    n.build.outputs.value.clear();
    if (const buildrun::Output* local = localOutput(whole))
        n.build.outputs.value.push_back(
            "type=local,dest=" + localDest(*local, leg.share, whole.request.platforms.size()));
    if (!o.build.push.value)
        return withPlatforms(n, leg.share);
    n.setup.driverOpts.value.insert(n.setup.driverOpts.value.end(), leg.node.driverOpts.begin(),
                                    leg.node.driverOpts.end());
    n = withPlatforms(n, leg.share);
    n.build.push.value = false;
    n.build.tags.value.clear();
    n.build.metadataFile.value.clear();
    n.build.iidFile.value.clear();
    n.build.pushByDigest.value = repository;
    n.build.pushByDigest.source.origin = cli::Origin::Flag;
    n.build.digestsDir.value = digests;
    n.build.digestsDir.source.origin = cli::Origin::Flag;
    return n;
}

// A failed build whose builder is gone lost its node (its engine stopped it, or someone
// removed it): that is the node's failure, not the Dockerfile's.
void lost(Leg& leg, builder::Builder& b, bool setUp)
{
    if (!setUp || leg.exitCode != base::EXIT_BUILD_FAILED)
        return;
    // A container being removed may still say it runs for a moment.
    bool running = true;
    for (int i = 0; i < 30 && running; ++i)
    {
        try
        {
            running = b.running();
        }
        catch (const Poco::Exception&)
        {
            running = false;
        }
        if (running)
            Poco::Thread::sleep(100);
    }
    if (running)
        return;
    leg.failure = "its builder " + leg.spec.containerName() + " stopped during the build (" +
                  leg.failure + ")";
    leg.exitCode = base::EXIT_UNAVAILABLE;
}

// Sets leg's node up, builds its share and tears it down; records a failure instead of
// throwing (a thread's). Lines go to err with the node's name in front.
void runLeg(Leg& leg, const PreparedBuild& build, std::ostream& err,
            const std::shared_ptr<std::mutex>& lock)
{
    report::PrefixedLines out(err, "[" + leg.node.name + "] ", lock);
    report::PrefixedLines lines(err, "[" + leg.node.name + "] ", lock);
    report::Console console(out, lines);
    const ci::CiContext ci = ci::CiContext::detect(leg.env, leg.options.common.ciLeg.value);
    builder::Builder b(leg.conn->client(), leg.spec,
                       [&](const std::string& n) { console.note(n); });
    bool setUp = false;
    try
    {
        // QEMU for what the node pins and cannot run itself, as a builder's setup does.
        std::vector<std::string> platforms = leg.node.platforms;
        for (const auto& p : leg.share)
        {
            if (std::find(platforms.begin(), platforms.end(), p) == platforms.end())
                platforms.push_back(p);
        }
        SetupStep::run(leg.options, leg.env, leg.conn->client(),
                       leg.conn->registryAuth(leg.env, ci), platforms, b, console, true);
        setUp = true;
        BuildCommand::execute(b, leg.spec.name, build, *leg.conn, leg.env, leg.options, lines,
                              console, nullptr);
    }
    catch (const Poco::Exception& e)
    {
        leg.failure = base::userMessage(e);
        leg.exitCode = base::exitCodeFor(e);
        lost(leg, b, setUp);
    }
    catch (const std::exception& e)
    {
        leg.failure = e.what();
        leg.exitCode = base::EXIT_SOFTWARE;
    }
    if (!setUp)
        return;
    try
    {
        base::Cancellation::Cleanup cleanup;
        const builder::TeardownResult t =
            b.teardown(leg.options.teardown.keepState.value, false, false, nullptr);
        console.note("builder node " + leg.node.name + ": removed" +
                     (t.keptVolume ? ", state volume " + leg.spec.volumeName() + " kept"
                                   : ", state volume removed"));
    }
    catch (const Poco::Exception& e)
    {
        console.warning("teardown of node " + leg.node.name + ": " + base::userMessage(e));
    }
}

// The legs: every node with its engine's architecture, each platform given to one.
std::vector<Leg> shareOut(const cli::Options& o, const base::Env& env,
                          const std::vector<plan::NodeSpec>& nodes,
                          const std::vector<std::string>& platforms, base::Problems& problems)
{
    std::vector<Leg> legs;
    std::vector<plan::NodeReach> reach;
    for (const auto& node : nodes)
    {
        Leg leg;
        leg.node = node;
        leg.env = envFor(env, node.endpoint);
        leg.conn = std::make_unique<EngineConnection>(leg.env, o.common);
        try
        {
            leg.arch = engine::System(leg.conn->client()).version().arch;
        }
        catch (const base::UnavailableException& e)
        {
            throw base::UnavailableException("node " + node.name + ": " + e.message());
        }
        reach.push_back({node.platforms, leg.arch});
        legs.push_back(std::move(leg));
    }
    const std::vector<int> owner =
        plan::assignPlatforms(platforms, reach, o.build.platforms.name(), problems);
    for (std::size_t i = 0; i < platforms.size(); ++i)
    {
        if (owner[i] >= 0)
            legs[static_cast<std::size_t>(owner[i])].share.push_back(platforms[i]);
    }
    return legs;
}

// Throws text as the exception whose exit code is code (docs/exit-codes.md).
[[noreturn]] void throwAs(int code, const std::string& text)
{
    switch (code)
    {
    case base::EXIT_CANCELLED:
        throw base::CancelledException(text);
    case base::EXIT_BUILD_FAILED:
        throw base::BuildFailedException(text);
    case base::EXIT_USAGE:
        throw base::UsageException(text);
    case base::EXIT_CONFIG:
        throw base::ConfigException(text);
    case base::EXIT_TEMPFAIL:
        throw base::RetryableException(text);
    default:
        throw base::UnavailableException(text);
    }
}

// Runs every leg with a share at once; throws naming each node that failed.
void runLegs(std::vector<Leg>& legs, const std::vector<PreparedBuild>& builds, std::ostream& err)
{
    auto lock = std::make_shared<std::mutex>();
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < legs.size(); ++i)
        threads.emplace_back([&, i] { runLeg(legs[i], builds[i], err, lock); });
    for (auto& t : threads)
        t.join();
    std::vector<std::string> failed;
    int code = base::EXIT_OK;
    for (const auto& leg : legs)
    {
        if (leg.failure.empty())
            continue;
        failed.push_back("node " + leg.node.name + " (" + base::join(leg.share, ", ") +
                         "): " + leg.failure);
        // A cancellation is the run's; otherwise the first node's failure says what it was.
        if (code == base::EXIT_OK || leg.exitCode == base::EXIT_CANCELLED)
            code = leg.exitCode;
    }
    if (!failed.empty())
        throwAs(code, base::join(failed, "\n") +
                          "\nnothing was pushed under the tags; the other nodes' work is in "
                          "their build cache for the next run");
}

} // namespace

int FleetRun::run(const cli::Options& o, const base::Env& env, report::Console& console,
                  std::ostream& err, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    const std::vector<plan::NodeSpec> nodes = plan::planNodes(o.setup.nodes, problems);
    const PreparedBuild whole = BuildCommand::plan(o, ci, env, problems);
    refuseUnsupported(o, whole, problems);
    if (whole.request.platforms.empty())
        problems.push_back({o.build.platforms.name(),
                            o.setup.nodes.name() + " shares out " + o.build.platforms.flag() +
                                ": give the platforms to build",
                            ""});
    // Every problem at once; an engine that cannot be reached matters once there are none.
    std::vector<Leg> legs;
    try
    {
        legs = shareOut(o, env, nodes, whole.request.platforms, problems);
    }
    catch (const base::UnavailableException&)
    {
        if (problems.empty())
            throw;
    }
    cli::OptionParser::throwIfAny(problems, o.command);
    legs.erase(
        std::remove_if(legs.begin(), legs.end(), [](const Leg& l) { return l.share.empty(); }),
        legs.end());
    const std::string repository =
        o.build.push.value ? engine::ImageRef::parse(whole.request.tags.front()).name : "";
    Poco::TemporaryFile digests;
    digests.createDirectories();
    std::vector<PreparedBuild> builds;
    for (auto& leg : legs)
    {
        leg.options = legOptions(o, leg, whole, repository, digests.path());
        leg.spec = plan::planBuilder(leg.options.setup,
                                     {o.common.builder.value,
                                      plan::buildxDir(leg.env, leg.conn->dockerConfig().dir()),
                                      BuildInfo::current().version},
                                     ci, leg.env, plan::LocalFiles(), problems);
        leg.spec.node = leg.node.name;
        builds.push_back(BuildCommand::plan(leg.options, ci, leg.env, problems));
        console.note("node " + leg.node.name + " (" + leg.arch + ", " +
                     leg.conn->client().endpoint().url() + ") builds " +
                     base::join(leg.share, ", "));
    }
    cli::OptionParser::throwIfAny(problems, o.command);
    runLegs(legs, builds, err);
    if (!o.build.push.value)
    {
        console.note("built on " + std::to_string(legs.size()) + " nodes into " +
                     localOutput(whole)->hostDest);
        return base::EXIT_OK;
    }

    // The legs joined under the tags, as hoist merge does.
    cli::Options m = o;
    m.command = "merge";
    m.merge.sources.value.clear(); // run's positional is its context
    m.merge.tags.value = whole.request.tags;
    m.merge.digestsDir.value = digests.path();
    m.merge.digestsDir.source.origin = cli::Origin::Flag;
    m.merge.insecureRegistries.value = o.state.insecureRegistries.value;
    m.merge.metadataFile.value = o.build.metadataFile.value;
    return MergeCommand::run(m, env, console, err, {});
}

} // namespace hoist::app
