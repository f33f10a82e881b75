#include "cli/BuildxCommands.h"

#include "base/Strings.h"
#include "cli/OptionTable.h"

namespace hoist::cli
{

namespace
{

// buildx's flags for the options that have one, as the user gave them.
void addFlags(std::vector<std::string>& argv, const Options& o,
              const std::vector<std::string>& names)
{
    for (const auto& name : names)
    {
        const OptionSpec* spec = OptionTable::instance().findLong(name, "run");
        auto it = o.values.find(name);
        if (!spec || it == o.values.end() || it->second.origin == Origin::Default)
            continue;
        for (const auto& v : it->second.values)
        {
            if (spec->kind != ValueKind::Flag)
                argv.insert(argv.end(), {"--" + name, v});
            else if (v == "true")
                argv.push_back("--" + name);
        }
    }
}

} // namespace

std::string BuildxCommands::originText(const OptionValue& v)
{
    switch (v.origin)
    {
    case Origin::Flag:
        return "flag " + v.source;
    case Origin::Env:
        return "env " + v.source;
    case Origin::Input:
        return "action input " + v.source;
    case Origin::Default:
        break;
    }
    return v.source.empty() ? "default" : "default, " + v.source;
}

BuildxCommands BuildxCommands::of(const Options& o, const BuildxExtras& extras)
{
    BuildxCommands c;
    if (!o.setup.platforms.value.empty())
        c.binfmt = {"docker",
                    "run",
                    "--privileged",
                    "--rm",
                    "tonistiigi/binfmt",
                    "--install",
                    base::join(o.setup.platforms.value, ",")};
    c.create = {"docker",   "buildx",          "create", "--name", o.common.builder.value,
                "--driver", "docker-container"};
    addFlags(c.create, o, {"driver-opt", "buildkitd-flags", "buildkitd-config"});
    c.create.push_back("--bootstrap");
    c.build = {"docker", "buildx", "build", "--builder", o.common.builder.value};
    addFlags(c.build, o,
             {"file",       "target",        "platform",   "build-arg",     "label",
              "tag",        "push",          "load",       "output",        "cache-from",
              "cache-to",   "secret",        "provenance", "sbom",          "attest",
              "no-cache",   "pull",          "add-host",   "network",       "build-context",
              "annotation", "metadata-file", "iidfile",    "allow",         "call",
              "check",      "shm-size",      "ulimit",     "cgroup-parent", "no-cache-filter",
              "quiet"});
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
