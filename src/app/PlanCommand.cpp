#include "app/PlanCommand.h"

#include "app/BuildPlan.h"
#include "app/BuilderPlan.h"
#include "base/Error.h"
#include "base/ShellWords.h"
#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"
#include "engine/DockerConfig.h"

#include <algorithm>
#include <sstream>

namespace hoist::app
{

namespace
{

std::string originText(const cli::OptionValue& v)
{
    switch (v.origin)
    {
    case cli::Origin::Flag:
        return "flag " + v.source;
    case cli::Origin::Env:
        return "env " + v.source;
    case cli::Origin::Input:
        return "action input " + v.source;
    case cli::Origin::Default:
        break;
    }
    return v.source.empty() ? "default" : "default, " + v.source;
}

// buildx's flags for the options that have one (setup's go to create, build's to build).
void addFlags(std::vector<std::string>& argv, const cli::ParsedCommand& cmd,
              const std::vector<std::string>& names)
{
    for (const auto& name : names)
    {
        const cli::OptionSpec* spec = cli::OptionTable::instance().findLong(name, "run");
        if (!spec || !cmd.has(name) || cmd.origin(name) == cli::Origin::Default)
            continue;
        for (const auto& v : cmd.getList(name))
        {
            if (spec->kind == cli::ValueKind::Flag)
            {
                if (v == "true")
                    argv.push_back("--" + name);
            }
            else
            {
                argv.push_back("--" + name);
                argv.push_back(v);
            }
        }
    }
}

std::string shell(const std::vector<std::string>& argv)
{
    std::vector<std::string> q;
    for (const auto& a : argv)
        q.push_back(base::shellQuote(a));
    return base::join(q, " ");
}

} // namespace

int PlanCommand::run(const cli::ParsedCommand& cmd, const base::Env& env, report::Console& console,
                     std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    engine::DockerConfig docker = engine::DockerConfig::load(env);
    builder::BuilderSpec spec = BuilderPlan::spec(cmd, ci, docker, env, problems);
    BuildPlan::Result plan = BuildPlan::make(cmd, ci, env, problems);
    cli::OptionParser::throwIfAny(problems, cmd.command());

    std::ostringstream out;
    out << "CI:        " << ci.providerName() << (ci.runUrl.empty() ? "" : ", run " + ci.runUrl)
        << "\nsession:   " << ci.session << "\nbuilder:   " << spec.name << " ("
        << originText(cmd.values().at("builder")) << "): container " << spec.containerName()
        << ", state volume " << spec.volumeName() << "\nimage:     " << spec.opts.image
        << "\ncontext:   " << plan.request.contextDir << " (" << plan.context.files() << " files, "
        << plan.context.bytes() << " bytes after .dockerignore)\n"
        << "Dockerfile: " << plan.request.dockerfileDir << "/" << plan.request.dockerfileName
        << "\n\nresolved options:\n";
    for (const auto& [name, value] : cmd.values())
    {
        if (name == "help" || value.values.empty())
            continue;
        out << "  --" << name << " " << base::join(value.values, " | ") << "   ("
            << originText(value) << ")\n";
    }
    for (const auto& d : plan.ciDefaults)
        out << "  " << d << "   (CI default)\n";
    if (plan.request.provenance)
        out << "  provenance attestation: " << *plan.request.provenance << "\n";
    for (const auto& w : plan.warnings)
        out << "  note: " << w << "\n";

    std::vector<std::string> create = {"docker",  "buildx",   "create",          "--name",
                                       spec.name, "--driver", "docker-container"};
    addFlags(create, cmd, {"driver-opt", "buildkitd-flags", "buildkitd-config"});
    create.push_back("--bootstrap");
    std::vector<std::string> build = {"docker", "buildx", "build", "--builder", spec.name};
    addFlags(build, cmd,
             {"file",          "target",     "platform",      "build-arg",  "label",    "tag",
              "push",          "load",       "output",        "cache-from", "cache-to", "secret",
              "provenance",    "sbom",       "no-cache",      "pull",       "add-host", "network",
              "build-context", "annotation", "metadata-file", "iidfile"});
    // What the CI defaults added, in buildx's terms (buildx fills gha's url and token itself).
    const buildrun::BuildRequest& r = plan.request;
    if (cmd.getList("tag").empty())
    {
        for (const auto& t : r.tags)
            build.insert(build.end(), {"--tag", t});
    }
    for (const auto& [k, v] : r.labels)
    {
        const auto given = cmd.getList("label");
        if (std::find(given.begin(), given.end(), k + "=" + v) == given.end())
            build.insert(build.end(), {"--label", k + "=" + v});
    }
    if (cmd.getList("cache-from").empty() && cmd.getList("cache-to").empty())
    {
        auto csv = [](const buildrun::Output& c)
        {
            std::string s = "type=" + c.type;
            for (const auto& [k, v] : c.attrs)
            {
                if (k != "token" && k != "url" && k != "url_v2")
                    s += "," + k + "=" + v;
            }
            return s;
        };
        for (const auto& c : r.cacheFrom)
            build.insert(build.end(), {"--cache-from", csv(c)});
        for (const auto& c : r.cacheTo)
            build.insert(build.end(), {"--cache-to", csv(c)});
    }
    build.push_back(cmd.positionals().empty() ? "." : cmd.positionals()[0]);
    std::vector<std::string> rm = {"docker", "buildx", "rm"};
    if (cmd.getBool("keep-state"))
        rm.push_back("--keep-state");
    rm.push_back(spec.name);
    out << "\nthe same with docker buildx:\n";
    if (!cmd.getList("platform").empty())
        out << "  docker run --privileged --rm tonistiigi/binfmt --install "
            << base::shellQuote(base::join(cmd.getList("platform"), ",")) << "\n";
    out << "  " << shell(create) << "\n  " << shell(build) << "\n  " << shell(rm) << "\n";
    console.print(out.str());
    return base::EXIT_OK;
}

} // namespace hoist::app
