// This file implements the legs of a command on a multi-node builder: each node's engine
// reached, the platforms shared out, and each node's part (setup, build, teardown) on a thread
// of its own, its lines labelled by node, the failures gathered into one.

#include "app/FleetLegs.h"

#include "app/BuildCommand.h"
#include "app/SetupStep.h"
#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Builder.h"
#include "builder/DriverOpts.h"
#include "engine/System.h"
#include "report/PrefixedLines.h"

#include <Poco/String.h>
#include <Poco/Thread.h>

#include <algorithm>
#include <mutex>
#include <system_error>
#include <thread>

namespace hoist::app::fleet
{

namespace
{

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

// The -o type=docker value given (none for --load), to dest: its other fields (name,
// compression, annotations) as the user gave them.
std::string dockerOutput(const cli::Options& o, const std::string& dest)
{
    std::string v = "type=docker," + builder::DriverOpts::csvField("dest=" + dest);
    for (const auto& given : o.build.outputs.value)
    {
        bool ok = true;
        const std::vector<std::string> fields = builder::DriverOpts::splitCsv(given, ok);
        if (!ok || std::find(fields.begin(), fields.end(), "type=docker") == fields.end())
            continue;
        for (const auto& f : fields)
        {
            if (!base::startsWith(f, "type=") && !base::startsWith(f, "dest="))
                v += "," + builder::DriverOpts::csvField(f);
        }
        break;
    }
    return v;
}

// o building only platforms, with the run's other options.
cli::Options withPlatforms(cli::Options o, const std::vector<std::string>& platforms)
{
    o.build.platforms.value = {base::join(platforms, ",")};
    return o;
}

// A failed build whose builder is gone lost its node (its engine stopped it, or someone
// removed it): that is the node's failure, not the Dockerfile's.
void lost(Leg& leg, builder::Builder& b, bool built)
{
    if (!built || leg.exitCode != base::EXIT_BUILD_FAILED)
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

// The node's builder set up, with QEMU for what it pins and its share need, its state
// restored when its volume is new.
void setUp(Leg& leg, builder::Builder& b, travel::StateTravel& travel, report::Console& console,
           bool holdForJob)
{
    const ci::CiContext ci = ci::CiContext::detect(leg.env, leg.options.common.ciLeg.value);
    travel.prepare(b);
    std::vector<std::string> platforms = leg.node.platforms;
    for (const auto& p : leg.share)
    {
        if (std::find(platforms.begin(), platforms.end(), p) == platforms.end())
            platforms.push_back(p);
    }
    const builder::SetupResult r =
        SetupStep::run(leg.options, leg.env, leg.conn->client(),
                       leg.conn->registryAuth(leg.env, ci), platforms, b, console, holdForJob);
    leg.platforms = r.status.platforms;
}

// The node's share built on its running builder.
void buildShare(Leg& leg, builder::Builder& b, std::ostream& lines, report::Console& console,
                bool justSetUp)
{
    if (!justSetUp)
    {
        if (!b.running())
            throw base::UnavailableException("its builder " + leg.spec.containerName() +
                                             " does not run");
        const ci::CiContext ci = ci::CiContext::detect(leg.env, leg.options.common.ciLeg.value);
        BuildCommand::emulate(leg.options, leg.env, ci, *leg.conn, b, leg.share, console);
    }
    BuildCommand::execute(b, leg.spec.name, leg.build, *leg.conn, leg.env, leg.options, lines,
                          console, nullptr);
}

// The node's builder removed, its state saved where it goes (not when the command is
// cancelled) and its volume kept as asked.
void tearDown(Leg& leg, builder::Builder& b, travel::StateTravel& travel, report::Console& console)
{
    const bool cancelled = base::Cancellation::signal() != 0; // a node stopped for another's
                                                              // failure keeps its state
    base::Cancellation::Cleanup cleanup;
    const builder::TeardownResult t =
        b.teardown(leg.options.teardown.keepState.value, leg.options.teardown.force.value, false,
                   cancelled ? nullptr : travel.save(b));
    console.note("builder node " + leg.node.name + ": removed" +
                 (t.keptVolume ? ", state volume " + leg.spec.volumeName() + " kept"
                               : ", state volume removed"));
}

// Records what ended leg's step: a node that fails to set up or build stops the others (raises
// group), as buildx cancels a build's other nodes; one stopped so says it. A teardown's
// failure stops no other node's teardown.
void failed(Leg& leg, Step step, const std::string& failure, int code,
            base::Cancellation::Group& group)
{
    leg.failure = failure;
    leg.exitCode = code;
    if (code != base::EXIT_CANCELLED && step != Step::Teardown)
        group.raise();
    else if (code == base::EXIT_CANCELLED && base::Cancellation::signal() == 0)
        leg.failure = "stopped when another node failed";
}

// Does step on leg's node; records a failure instead of throwing (a thread's). Lines go to
// err with the node's name in front.
void runLeg(Leg& leg, Step step, std::ostream& err, const std::shared_ptr<std::mutex>& lock,
            base::Cancellation::Group& group)
{
    report::PrefixedLines out(err, "[" + leg.node.name + "] ", lock);
    report::PrefixedLines lines(err, "[" + leg.node.name + "] ", lock);
    report::Console console(out, lines);
    builder::Builder b(leg.conn->client(), leg.spec,
                       [&](const std::string& n) { console.note(n); });
    const ci::CiContext ci = ci::CiContext::detect(leg.env, leg.options.common.ciLeg.value);
    travel::StateTravel travel =
        SetupStep::stateTravel(leg.state, leg.conn->registryAuth(leg.env, ci), ci, console);
    bool made = false;
    try
    {
        if (step == Step::Run || step == Step::Setup)
        {
            setUp(leg, b, travel, console, step == Step::Run);
            made = step == Step::Run;
        }
        if (step == Step::Run || step == Step::Build)
            buildShare(leg, b, lines, console, step == Step::Run);
        if (step == Step::Teardown)
            tearDown(leg, b, travel, console);
    }
    catch (const Poco::Exception& e)
    {
        // The others stopped first: telling a lost builder from a failed step takes seconds.
        failed(leg, step, base::userMessage(e), base::exitCodeFor(e), group);
        lost(leg, b, step == Step::Run || step == Step::Build);
    }
    catch (const std::exception& e)
    {
        failed(leg, step, e.what(), base::EXIT_SOFTWARE, group);
    }
    if (!made)
        return;
    try
    {
        tearDown(leg, b, travel, console);
    }
    catch (const Poco::Exception& e)
    {
        console.warning("teardown of node " + leg.node.name + ": " + base::userMessage(e));
    }
    catch (const std::exception& e)
    {
        console.warning("teardown of node " + leg.node.name + ": " + e.what());
    }
}

// runLeg on a thread of group: nothing escapes it.
void runLegSafely(Leg& leg, Step step, std::ostream& err, const std::shared_ptr<std::mutex>& lock,
                  base::Cancellation::Group& group)
{
    base::Cancellation::Group::Member member(group);
    try
    {
        runLeg(leg, step, err, lock, group);
    }
    catch (const std::exception& e)
    {
        failed(leg, step, e.what(), base::EXIT_SOFTWARE, group);
    }
    catch (...)
    {
        failed(leg, step, "an unknown failure", base::EXIT_SOFTWARE, group);
    }
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
    case base::EXIT_IOERR:
        throw Poco::FileException(text);
    case base::EXIT_SOFTWARE:
        throw Poco::RuntimeException(text);
    default:
        throw base::UnavailableException(text);
    }
}

} // namespace

base::Env envFor(const base::Env& env, const std::string& endpoint)
{
    if (endpoint.empty())
        return env;
    if (endpoint.find("://") == std::string::npos)
        return env.without("DOCKER_HOST").with("DOCKER_CONTEXT", endpoint);
    return env.without("DOCKER_CONTEXT").with("DOCKER_HOST", endpoint);
}

// The one output written on this machine or loaded into its engine: a local directory, an OCI
// layout (an archive, or a directory with tar=false), a docker archive (or --load).
const buildrun::Output* localOutput(const PreparedBuild& whole)
{
    for (const auto& out : whole.request.outputs)
    {
        if (out.type == buildrun::OutputType::Local || out.type == buildrun::OutputType::Oci ||
            out.type == buildrun::OutputType::Docker)
            return &out;
    }
    return nullptr;
}

void refuseDriver(const cli::Options& o, base::Problems& problems)
{
    const std::string nodes = o.setup.nodes.name();
    if (o.setup.driver.given() && o.setup.driver.value != "docker-container")
        problems.push_back({nodes,
                            nodes + " makes docker-container nodes; " + o.setup.driver.name() +
                                " " + o.setup.driver.value + " cannot have nodes",
                            ""});
}

void refuseGiven(const std::vector<const cli::Source*>& sources, const std::string& with,
                 const std::string& hint, base::Problems& problems)
{
    for (const auto* given : sources)
    {
        if (given->origin != cli::Origin::Default)
            problems.push_back(
                {given->name, given->name + " with " + with + " is not supported yet", hint});
    }
}

// The outputs a build on nodes does not write yet: a tar, an image an -o names, more than one
// output; problems naming the options given.
void refuseOutputs(const cli::Options& o, const PreparedBuild& whole, const std::string& hint,
                   base::Problems& problems)
{
    const std::string nodes = o.setup.nodes.name();
    std::size_t locals = 0;
    std::size_t images = 0;
    bool docker = false;
    for (const auto& out : whole.request.outputs)
    {
        if (out.type == buildrun::OutputType::Tar)
            problems.push_back(
                {o.build.outputs.name(),
                 o.build.outputs.name() + " type=tar with " + nodes + " is not supported yet",
                 hint});
        images += out.type == buildrun::OutputType::Image ? 1 : 0;
        locals += out.type == buildrun::OutputType::Local ||
                          out.type == buildrun::OutputType::Oci ||
                          out.type == buildrun::OutputType::Docker
                      ? 1
                      : 0;
        docker = docker || out.type == buildrun::OutputType::Docker;
    }
    if (images > (o.build.push.value || o.build.pushByDigest.given() ? 1 : 0))
        problems.push_back({o.build.outputs.name(),
                            o.build.outputs.name() + " type=image or type=registry with " + nodes +
                                " is not supported yet",
                            "push with " + o.build.push.flag() + " and " + o.build.tags.flag()});
    if (locals > 1 || (docker && o.build.push.value))
        problems.push_back({o.build.outputs.name(),
                            "more than one of " + o.build.push.flag() + ", " + o.build.load.flag() +
                                " and " + o.build.outputs.flag() + " with " + nodes +
                                " is not supported yet",
                            hint});
    // The files of an unpushed layout or directory would be the join's, which has none yet.
    if (!o.build.push.value && locals > 0 && !docker)
        refuseGiven(
            {&o.build.iidFile.source, &o.build.metadataFile.source, &o.build.dotenvFile.source},
            nodes + " and " + o.build.outputs.flag() + " type=local or type=oci", hint, problems);
}

// What a build on nodes cannot do yet, as problems naming the options given.
void refuseUnsupported(const cli::Options& o, const PreparedBuild& whole, base::Problems& problems)
{
    const std::string hint = "a build on nodes pushes to its --tag values (--push), writes one "
                             "-o type=local, type=oci or type=docker, or loads (--load); build "
                             "other outputs on one engine";
    const std::string nodes = o.setup.nodes.name();
    refuseDriver(o, problems);
    refuseOutputs(o, whole, hint, problems);
    const buildrun::Output* local = localOutput(whole);
    const bool docker = local && local->type == buildrun::OutputType::Docker;
    if (local && local->hostDest.empty() && !docker)
        problems.push_back({o.build.outputs.name(),
                            o.build.outputs.name() + " with " + nodes +
                                " writes to this machine: give it dest=PATH",
                            ""});
    if (!o.build.push.value && !local && !o.build.pushByDigest.given())
        problems.push_back({nodes,
                            nodes + " needs " + o.build.push.flag() + ", " + o.build.load.flag() +
                                ", or " + o.build.outputs.flag() +
                                " type=local,dest=DIR, type=oci,dest=FILE or type=docker",
                            hint});
    // BuildKit's docker exporter takes one platform's image, as on one builder.
    if (docker && whole.request.platforms.size() > 1 && !local->hostDest.empty())
        problems.push_back({o.build.platforms.name(),
                            o.build.outputs.flag() +
                                " type=docker takes one platform's image (BuildKit's docker "
                                "exporter does not export manifest lists); give one " +
                                o.build.platforms.flag() + ", or write -o type=oci",
                            ""});
    const std::string loader =
        o.build.load.value ? o.build.load.name() : o.build.outputs.name() + " type=docker";
    if (docker && whole.request.platforms.size() > 1 && local->hostDest.empty())
        problems.push_back(
            {loader, loader + " of several platforms with " + nodes + " is not supported yet",
             "push with " + o.build.push.flag() + ", write " + o.build.outputs.flag() +
                 " type=oci,dest=FILE, or load one platform at a time"});
    refuseGiven({&o.build.pushByDigest.source}, nodes, hint, problems);
}

bool indexLevel(const std::string& annotation)
{
    return annotation.rfind("index", 0) == 0 || annotation.rfind("manifest-descriptor", 0) == 0;
}

std::string ociPart(const Leg& leg, const std::string& digests)
{
    return digests + ".parts/" + leg.node.name + ".oci.tar";
}

std::string dockerPart(const Leg& leg, const std::string& digests)
{
    return digests + ".parts/" + leg.node.name + ".docker.tar";
}

// The options of leg's node: its driver options after the run's; its build pushes its
// platforms by digest into repository, recording them in digests.
cli::Options legOptions(const cli::Options& o, const Leg& leg, const PreparedBuild& whole,
                        const std::string& repository, const std::string& digests)
{
    cli::Options n = withPlatforms(leg.options, leg.share);
    n.build.outputs.value.clear();
    const buildrun::Output* local = localOutput(whole);
    if (local && local->type == buildrun::OutputType::Local)
        n.build.outputs.value.push_back(
            "type=local,dest=" + localDest(*local, leg.share, whole.request.platforms.size()));
    else if (local && local->type == buildrun::OutputType::Docker)
    {
        // One platform, so one node: its archive where asked, else loaded from its part; the
        // output's own attributes (name, compression, annotations) as given.
        n.build.load.value = false;
        n.build.outputs.value.push_back(
            dockerOutput(o, local->hostDest.empty() ? dockerPart(leg, digests) : local->hostDest));
    }
    else if (local) // the node's part of the layout, joined when every node is done
        n.build.outputs.value.push_back("type=oci,dest=" + ociPart(leg, digests));
    // Each node its own caches: nodes building at once never write one.
    for (auto* caches : {&n.build.cacheFrom.value, &n.build.cacheTo.value})
    {
        for (auto& c : *caches)
            c = plan::locationForNode(c, leg.node.name);
    }
    // The index's annotations are the merge's; a leg's image takes the manifest's.
    auto& annotations = n.build.annotations.value;
    annotations.erase(std::remove_if(annotations.begin(), annotations.end(), indexLevel),
                      annotations.end());
    // The files of a pushed build are the merge's (the index's digest), not a leg's; an image
    // into the engine or a docker archive is one node's, which writes them.
    if (!local || local->type != buildrun::OutputType::Docker)
    {
        n.build.metadataFile.value.clear();
        n.build.iidFile.value.clear();
        n.build.dotenvFile.value.clear();
    }
    if (!o.build.push.value)
        return n;
    n.build.push.value = false;
    n.build.tags.value.clear();
    n.build.pushByDigest.value = repository;
    n.build.pushByDigest.source.origin = cli::Origin::Flag;
    n.build.digestsDir.value = digests;
    n.build.digestsDir.source.origin = cli::Origin::Flag;
    return n;
}

std::vector<Leg> legsOf(const cli::Options& o, const base::Env& env,
                        const std::vector<plan::NodeSpec>& nodes)
{
    std::vector<Leg> legs;
    for (const auto& node : nodes)
    {
        Leg leg;
        leg.node = node;
        leg.env = envFor(env, node.endpoint);
        leg.options = o;
        for (auto& from : leg.options.state.from.value)
            from = plan::locationForNode(from, node.name);
        if (!o.state.to.value.empty())
            leg.options.state.to.value = plan::locationForNode(o.state.to.value, node.name);
        // Each a --driver-opt value of one field: quoted when it holds a comma (env.no_proxy).
        for (const auto& opt : node.driverOpts)
            leg.options.setup.driverOpts.value.push_back(builder::DriverOpts::csvField(opt));
        // Errors name the node and its endpoint as --node gave them.
        const std::string which =
            "node " + node.name +
            (node.endpoint.empty() ? "" : " (endpoint=" + node.endpoint + ")");
        try
        {
            leg.conn = std::make_unique<EngineConnection>(leg.env, o.common);
            leg.arch = engine::System(leg.conn->client()).version().arch;
        }
        catch (const base::UnavailableException& e)
        {
            throw base::UnavailableException(which + ": " + e.message());
        }
        catch (const base::ConfigException& e)
        {
            throw base::ConfigException(which + ": " + e.message());
        }
        legs.push_back(std::move(leg));
    }
    return legs;
}

void shareOut(std::vector<Leg>& legs, const std::vector<std::string>& platforms,
              const std::string& option, base::Problems& problems)
{
    std::vector<plan::NodeReach> reach;
    for (const auto& leg : legs)
        reach.push_back({leg.node.platforms, leg.arch});
    const std::vector<int> owner = plan::assignPlatforms(platforms, reach, option, problems);
    for (std::size_t i = 0; i < platforms.size(); ++i)
    {
        if (owner[i] >= 0)
            legs[static_cast<std::size_t>(owner[i])].share.push_back(platforms[i]);
    }
}

void runLegs(std::vector<Leg>& legs, Step step, std::ostream& err)
{
    auto lock = std::make_shared<std::mutex>();
    base::Cancellation::Group group; // a node's failure stops the others
    std::vector<std::thread> threads;
    try
    {
        for (auto& leg : legs)
            threads.emplace_back([&leg, step, &err, lock, &group]
                                 { runLegSafely(leg, step, err, lock, group); });
    }
    catch (const std::system_error& e)
    {
        group.raise(); // the nodes that started stop
        for (auto& t : threads)
            t.join();
        throw Poco::RuntimeException(std::string("cannot start a thread for a node: ") + e.what());
    }
    for (auto& t : threads)
        t.join();
    std::vector<std::string> failed;
    int code = base::EXIT_OK;
    for (const auto& leg : legs)
    {
        if (leg.failure.empty())
            continue;
        failed.push_back("node " + leg.node.name +
                         (leg.share.empty() ? "" : " (" + base::join(leg.share, ", ") + ")") +
                         ": " + leg.failure);
        // The first node that failed says what it was; the others stopped for it.
        if (code == base::EXIT_OK && leg.exitCode != base::EXIT_CANCELLED)
            code = leg.exitCode;
    }
    // A cancellation is the command's.
    if (code == base::EXIT_OK || base::Cancellation::signal() != 0)
        code = base::EXIT_CANCELLED;
    if (!failed.empty())
        throwAs(code, base::join(failed, "\n") +
                          (step == Step::Run || step == Step::Build
                               ? "\nnothing was pushed under the tags; the other nodes' work is in "
                                 "their build cache for the next run"
                               : ""));
}

} // namespace hoist::app::fleet
