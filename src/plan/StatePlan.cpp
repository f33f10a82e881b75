// This file implements the state's plan (docs/state.md): the --state-from and --state-to
// locations, the size budget, the plain-http registries, and GitLab's docker:dind defaults.

#include "plan/StatePlan.h"

#include "base/Size.h"
#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "engine/ImageRef.h"
#include "plan/Attrs.h"

namespace hoist::plan
{

namespace
{

// Parses one location; dirKey is "src" for a source, "dest" for a destination.
std::optional<state::Location> location(const std::string& value, const cli::Source& source,
                                        const std::string& dirKey, base::Problems& problems)
{
    const std::size_t before = problems.size();
    AttrList a = parseAttrs(value, source.name, false, problems);
    state::Location l;
    l.text = value;
    const std::string example = dirKey == "src" ? "type=local,src=DIR" : "type=local,dest=DIR";
    if (a.type == "registry")
    {
        l.kind = state::Location::Kind::Registry;
        l.ref = a.take("ref");
        if (l.ref.empty())
            problems.push_back(
                base::Problem{source.name,
                              source.name + " " + base::quoted(value) +
                                  " needs ref=REF, e.g. type=registry,ref=ghcr.io/octo/app:state",
                              ""});
        else
            checkRef(source.name + " ", l.ref, problems);
    }
    else if (a.type == "local")
    {
        l.kind = state::Location::Kind::Local;
        l.dir = a.take(dirKey);
        if (l.dir.empty())
            problems.push_back(base::Problem{source.name,
                                             source.name + " " + base::quoted(value) + " needs " +
                                                 dirKey + "=DIR, e.g. " + example,
                                             ""});
    }
    else
        problems.push_back(base::Problem{source.name,
                                         source.name + " " + base::quoted(value) +
                                             ": the type must be registry or local, e.g. "
                                             "type=registry,ref=REF or " +
                                             example,
                                         ""});
    for (const auto& [key, v] : a.attrs)
        problems.push_back(base::Problem{source.name,
                                         source.name + " " + base::quoted(value) +
                                             ": unknown attribute " + base::quoted(key) +
                                             " (registry takes ref, local takes " + dirKey + ")",
                                         ""});
    if (problems.size() != before)
        return std::nullopt;
    return l;
}

state::Location registryAt(const std::string& ref)
{
    state::Location l;
    l.kind = state::Location::Kind::Registry;
    l.ref = ref;
    l.text = "type=registry,ref=" + ref;
    return l;
}

// GitLab's docker:dind engine is new each job: its state travels through the CI's registry.
void ciDefaults(const ci::CiContext& ci, StatePlan& p)
{
    if (ci.provider != ci::CiContext::Provider::GitLab || !ci.ephemeralEngine ||
        ci.source.imageName.empty() || ci.registry.host.empty() || ci.source.refSlug.empty())
        return;
    const std::string repo = ci.source.imageName + "/hoist-state:";
    p.from.push_back(registryAt(repo + ci.source.refSlug));
    if (!ci.source.defaultRefSlug.empty() && ci.source.defaultRefSlug != ci.source.refSlug)
        p.from.push_back(registryAt(repo + ci.source.defaultRefSlug));
    if (!ci.changeRequest)
        p.to = registryAt(repo + ci.source.refSlug);
    p.defaults = "GitLab's docker:dind engine lives only as long as the job: the builder's "
                 "state travels through " +
                 ci.source.imageName + "/hoist-state" +
                 (ci.changeRequest ? " (read only in a merge request pipeline)" : "");
}

} // namespace

StatePlan planState(const cli::StateOptions& o, const ci::CiContext& ci, base::Problems& problems,
                    const builder::BuildkitdConfig& builder)
{
    StatePlan p;
    for (const auto& value : o.from.value)
    {
        if (auto l = location(value, o.from.source, "src", problems))
            p.from.push_back(*l);
    }
    if (o.to.given() && !o.to.value.empty())
        p.to = location(o.to.value, o.to.source, "dest", problems);
    // Only teardown, run and plan take a size (setup's is empty).
    if (auto bytes = base::parseSize(o.maxSize.value); bytes && *bytes > 0)
        p.maxBytes = static_cast<std::uint64_t>(*bytes);
    else if (!o.maxSize.value.empty())
        problems.push_back(base::Problem{o.maxSize.name(),
                                         o.maxSize.name() + " " + base::quoted(o.maxSize.value) +
                                             " is not a size: give e.g. 2g, 512m",
                                         ""});
    p.plainHttp = registryHosts(o.insecureRegistries, problems);
    p.plainHttp.insert(builder.plainHttpRegistries().begin(), builder.plainHttpRegistries().end());
    p.insecure = builder.insecureRegistries();
    p.registryCas = builder.registryCas();
    if (!o.from.given() && !o.to.given())
        ciDefaults(ci, p);
    return p;
}

} // namespace hoist::plan
