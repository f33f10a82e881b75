// This file implements `hoist plan`: the builder, build and state planned as `hoist run` would,
// and the facts the plan view prints — the CI, the builder, each option with its origin, the
// CI defaults, and the equivalent docker buildx commands.

#include "app/PlanCommand.h"

#include "app/BuildInfo.h"
#include "app/FleetLegs.h"
#include "app/Prepare.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "buildrun/BuildctlArgs.h"
#include "cli/BuildxCommands.h"
#include "cli/OptionParser.h"
#include "engine/DockerConfig.h"
#include "plan/BuildPlan.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/RemotePlan.h"
#include "plan/StatePlan.h"
#include "report/PlanView.h"

#include <algorithm>
#include <optional>

namespace hoist::app
{

namespace
{

// A cache as buildx's flag takes it (buildx fills gha's url and token itself).
std::string cacheCsv(const buildrun::Cache& c)
{
    buildrun::Attrs attrs = {{"type", buildrun::typeName(c.type)}};
    for (const auto& [k, v] : c.attrs)
    {
        if (k != "token" && k != "url" && k != "url_v2")
            attrs.emplace_back(k, v);
    }
    return buildrun::BuildctlArgs::csv(attrs);
}

// What the CI defaults added to the options, in buildx's terms.
cli::BuildxExtras extras(const cli::Options& o, const buildrun::BuildRequest& r)
{
    cli::BuildxExtras x;
    if (o.build.tags.value.empty())
        x.tags = r.tags;
    for (const auto& [k, v] : r.labels)
    {
        const auto& given = o.build.labels.value;
        if (std::find(given.begin(), given.end(), k + "=" + v) == given.end())
            x.labels.push_back(k + "=" + v);
    }
    if (o.build.cacheFrom.value.empty() && o.build.cacheTo.value.empty())
    {
        for (const auto& c : r.cacheFrom)
            x.cacheFrom.push_back(cacheCsv(c));
        for (const auto& c : r.cacheTo)
            x.cacheTo.push_back(cacheCsv(c));
    }
    return x;
}

// Where the builder's state comes from and goes, when the CI chose it; and that buildx has no
// such thing.
void stateFacts(const plan::StatePlan& sp, report::PlanFacts& f)
{
    if (!sp.defaults.empty())
    {
        for (const auto& from : sp.from)
            f.ciDefaults.push_back("state from " + from.text);
        if (sp.to)
            f.ciDefaults.push_back("state to " + sp.to->text);
        f.notes.push_back(sp.defaults);
    }
    if (!sp.from.empty() || sp.to)
        f.notes.push_back("the builder's state travels (docs/state.md); the buildx commands "
                          "below have no equivalent, their builder starts cold");
}

report::PlanFacts facts(const cli::Options& o, const ci::CiContext& ci,
                        const builder::BuilderSpec& spec, const plan::BuildPlan& p,
                        const PreparedBuild& prepared, const plan::StatePlan& sp)
{
    report::PlanFacts f;
    f.ci = ci.providerName();
    f.runUrl = ci.runUrl;
    f.session = ci.session;
    f.builder = spec.name;
    f.builderOrigin = cli::BuildxCommands::originText(o.common.builder.source);
    f.container = spec.containerName();
    f.volume = spec.volumeName();
    f.image = spec.opts.image;
    f.context = p.request.remoteContext.empty() ? p.request.contextDir : p.request.remoteContext;
    f.remoteContext = !p.request.remoteContext.empty();
    f.contextFiles = prepared.context.files();
    f.contextBytes = prepared.context.bytes();
    f.dockerfile = p.request.dockerfileDir.empty()
                       ? p.request.dockerfileName + " in the context"
                       : p.request.dockerfileDir + "/" + p.request.dockerfileName;
    o.each(
        [&](const std::string& name, const cli::Source& s)
        {
            if (!s.raw.empty())
                f.options.push_back({name, s.raw, cli::BuildxCommands::originText(s)});
        });
    // Listed by name, as buildx's help lists its flags.
    std::sort(f.options.begin(), f.options.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    f.ciDefaults = p.ciDefaults;
    f.provenance = p.request.provenance.value_or("");
    f.notes = p.warnings;
    const cli::BuildxCommands bx = cli::BuildxCommands::of(o, extras(o, p.request));
    f.buildx = {bx.binfmt, bx.create, bx.build, bx.rm};
    stateFacts(sp, f);
    return f;
}

// A builder of nodes: each node's container, engine and share, and buildx's create --append
// commands for it, the platforms shared out as the run will (its engines asked, nothing made).
void nodeFacts(const cli::Options& o, const base::Env& env,
               const std::vector<std::string>& platforms, report::PlanFacts& f,
               base::Problems& problems)
{
    std::vector<plan::NodeSpec> nodes = plan::planNodes(o.setup.nodes, problems);
    plan::nameNodes(nodes, o.common.builder.value, o.setup.nodes.name(), problems);
    std::vector<fleet::Leg> legs = fleet::legsOf(o, env, nodes);
    fleet::shareOut(legs, platforms, o.build.platforms.name(), problems);
    std::vector<std::string> containers;
    std::vector<std::vector<std::string>> creates;
    for (std::size_t i = 0; i < legs.size(); ++i)
    {
        const fleet::Leg& leg = legs[i];
        // Each node's state travels apart (docs/multi-node.md).
        for (const auto& from : leg.options.state.from.value)
            f.notes.push_back("node " + leg.node.name + "'s state from " + from);
        if (!leg.options.state.to.value.empty())
            f.notes.push_back("node " + leg.node.name + "'s state to " +
                              leg.options.state.to.value);
        containers.push_back("buildx_buildkit_" + leg.node.name + " on " +
                             leg.conn->client().endpoint().url() + " (" + leg.arch + "): builds " +
                             (leg.share.empty() ? "nothing" : base::join(leg.share, ", ")));
        std::vector<std::string> create =
            i == 0 ? f.buildx.at(1)
                   : std::vector<std::string>{"docker",   "buildx", "create",
                                              "--append", "--name", o.common.builder.value};
        create.insert(create.end(), {"--node", leg.node.name});
        if (!leg.node.platforms.empty())
            create.insert(create.end(), {"--platform", base::join(leg.node.platforms, ",")});
        for (const auto& opt : leg.node.driverOpts)
            create.insert(create.end(), {"--driver-opt", opt});
        if (!leg.node.endpoint.empty())
            create.push_back(leg.node.endpoint);
        creates.push_back(create);
    }
    f.container = "one a node: " + base::join(containers, "; ");
    f.volume = "each node's buildx_buildkit_<node>_state on its engine";
    f.buildx.erase(f.buildx.begin() + 1);
    f.buildx.insert(f.buildx.begin() + 1, creates.begin(), creates.end());
}

} // namespace

int PlanCommand::run(const cli::Options& o, const base::Env& env, report::Console& console,
                     base::Problems problems)
{
    ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    engine::DockerConfig docker = engine::DockerConfig::load(env);
    plan::LocalFiles files;
    builder::BuilderSpec spec = plan::planBuilder(
        o.setup,
        {o.common.builder.value, plan::buildxDir(env, docker.dir()), BuildInfo::current().version},
        ci, env, files, problems);
    plan::BuildPlan p = plan::planBuild(o.build, ci, env, files, problems);
    PreparedBuild prepared = prepare(p, env, problems);
    plan::StatePlan sp = plan::planState(o.state, ci, problems, spec.config);
    if (!o.setup.nodes.value.empty() && !sp.defaults.empty())
    {
        // The CI's defaults are one engine's: nodes' state travels where the options say.
        sp.from.clear();
        sp.to.reset();
        sp.defaults.clear();
    }
    std::optional<plan::RemotePlan> remote;
    if (o.setup.driver.value == "remote")
        remote = plan::planRemote(o, ci.session, files, problems);
    cli::OptionParser::throwIfAny(problems, o.command);
    report::PlanFacts f = facts(o, ci, spec, p, prepared, sp);
    if (!o.setup.nodes.value.empty())
    {
        fleet::refuseUnsupported(o, prepared, problems);
        nodeFacts(o, env, p.request.platforms, f, problems);
        cli::OptionParser::throwIfAny(problems, o.command);
    }
    if (remote)
    {
        f.container = "none: the remote driver builds on the daemon at " + remote->spec.endpoint +
                      " (buildctl runs in a client container of " + remote->spec.clientImage + ")";
        f.volume = "none: the daemon keeps its own state";
        f.image = remote->spec.clientImage;
    }
    console.print(report::PlanView::text(f));
    return base::EXIT_OK;
}

} // namespace hoist::app
