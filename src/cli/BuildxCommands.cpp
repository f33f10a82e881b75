// This file implements the docker buildx commands `hoist plan` prints for a run (binfmt,
// create, build, rm), from the options' buildx flags and what the CI added, and each value's
// origin.

#include "cli/BuildxCommands.h"

#include "base/Strings.h"
#include "cli/OptionTable.h"

namespace hoist::cli
{

namespace
{

// buildx's flags for the options that pass to command as they are, as the user gave them.
void addFlags(std::vector<std::string>& argv, const Options& o, BuildxCommand command)
{
    for (const auto& spec : OptionTable::instance().options())
    {
        if (spec.buildx != command)
            continue;
        const Source& source = spec.sourceIn(o);
        if (source.origin == Origin::Default)
            continue;
        for (const auto& v : source.raw)
        {
            if (spec.kind != ValueKind::Flag)
                argv.insert(argv.end(), {"--" + spec.name, v});
            else if (v == "true")
                argv.push_back("--" + spec.name);
        }
    }
}

} // namespace

std::string BuildxCommands::originText(const Source& s)
{
    switch (s.origin)
    {
    case Origin::Flag:
        return "flag " + s.typed;
    case Origin::Env:
        return "env " + s.typed;
    case Origin::Input:
        return "action input " + s.typed;
    case Origin::Default:
        break;
    }
    return s.note.empty() ? "default" : "default, " + s.note;
}

namespace
{

// buildx's remote driver refuses hoist's image option (the client's image): argv without it.
std::vector<std::string> withoutClientImage(const std::vector<std::string>& argv)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < argv.size(); ++i)
    {
        if (argv[i] != "--driver-opt" || i + 1 == argv.size())
        {
            out.push_back(argv[i]);
            continue;
        }
        std::vector<std::string> kept;
        for (const auto& field : base::split(argv[++i], ','))
        {
            if (!base::startsWith(field, "image="))
                kept.push_back(field);
        }
        if (!kept.empty())
            out.insert(out.end(), {"--driver-opt", base::join(kept, ",")});
    }
    return out;
}

} // namespace

BuildxCommands BuildxCommands::of(const Options& o, const BuildxExtras& extras)
{
    BuildxCommands c;
    const bool remote = o.setup.driver.value == "remote";
    if (!o.setup.platforms.value.empty() && !remote) // a remote daemon's host has its own
        c.binfmt = {"docker",
                    "run",
                    "--privileged",
                    "--rm",
                    "tonistiigi/binfmt",
                    "--install",
                    base::join(o.setup.platforms.value, ",")};
    c.create = {"docker",
                "buildx",
                "create",
                "--name",
                o.common.builder.value,
                "--driver",
                o.setup.driver.value};
    addFlags(c.create, o, BuildxCommand::Create);
    if (remote)
        c.create = withoutClientImage(c.create);
    if (!o.setup.endpoint.value.empty())
        c.create.push_back(o.setup.endpoint.value);
    c.create.push_back("--bootstrap");
    c.build = {"docker", "buildx", "build", "--builder", o.common.builder.value};
    addFlags(c.build, o, BuildxCommand::Build);
    for (const auto& t : extras.tags)
        c.build.insert(c.build.end(), {"--tag", t});
    for (const auto& l : extras.labels)
        c.build.insert(c.build.end(), {"--label", l});
    for (const auto& v : extras.cacheFrom)
        c.build.insert(c.build.end(), {"--cache-from", v});
    for (const auto& v : extras.cacheTo)
        c.build.insert(c.build.end(), {"--cache-to", v});
    c.build.push_back(o.positionals.empty() ? "." : o.positionals.front());
    c.rm = {"docker", "buildx", "rm"};
    if (o.teardown.keepState.value)
        c.rm.push_back("--keep-state");
    c.rm.push_back(o.common.builder.value);
    return c;
}

} // namespace hoist::cli
