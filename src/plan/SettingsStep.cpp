// Attestations as docker/build-push-action sets them, and the build's other settings.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"

#include <algorithm>
#include <optional>

namespace hoist::plan::steps
{

namespace
{

void addHost(std::vector<std::string>& hosts, const std::string& ref)
{
    std::string h = engine::ImageRef::parse(ref).authKey();
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end())
        hosts.push_back(h);
}

// One attestation as given: by --provenance/--sbom (true, false or attributes) or --attest.
struct Attestation
{
    bool given = false;
    bool enabled = true;
    std::string attrs; /// without type and disabled
};

struct Attestations
{
    Attestation provenance;
    Attestation sbom;
};

// Go's strconv.ParseBool, which buildx uses.
std::optional<bool> parseBool(const std::string& v)
{
    for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
        if (v == t)
            return true;
    for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
        if (v == f)
            return false;
    return std::nullopt;
}

// --attest type=…,disabled=…,k=v
void readAttest(const std::string& v, const std::string& option, Attestations& out,
                base::Problems& problems)
{
    AttrList list = parseAttrs(v, option, false, problems);
    Attestation* a = list.type == "provenance" ? &out.provenance
                     : list.type == "sbom"     ? &out.sbom
                                               : nullptr;
    if (!a)
    {
        problems.push_back(
            base::Problem{option,
                          option + " " + base::quoted(v) +
                              (list.type.empty() ? " needs type=provenance or type=sbom"
                                                 : " has an unknown type: provenance or sbom"),
                          ""});
        return;
    }
    if (a->given)
    {
        problems.push_back(base::Problem{
            option, option + " type=" + list.type + " is given twice: give it once", ""});
        return;
    }
    a->given = true;
    const std::string disabled = list.take("disabled");
    if (!disabled.empty())
    {
        auto b = parseBool(disabled);
        if (!b)
            problems.push_back(base::Problem{
                "", option + " disabled=" + base::quoted(disabled) + " is not true or false", ""});
        a->enabled = !b.value_or(false);
    }
    std::vector<std::string> fields;
    for (const auto& [k, val] : list.attrs)
        fields.push_back(k + "=" + val);
    a->attrs = base::join(fields, ",");
}

// --provenance/--sbom: true, false or attributes, as buildx's CanonicalizeAttest reads them.
void readShorthand(const cli::Text& option, Attestation& a, const std::string& attest,
                   base::Problems& problems)
{
    if (!option.given())
        return;
    if (a.given)
    {
        problems.push_back(base::Problem{
            option.name(), option.name() + " and " + attest + " type=… both set it: give one", ""});
        return;
    }
    a.given = true;
    if (auto b = parseBool(option.value))
        a.enabled = *b;
    else
        a.attrs = option.value;
}

Attestations readAttestations(const cli::BuildOptions& o, base::Problems& problems)
{
    Attestations a;
    for (const auto& v : o.attests.value)
        readAttest(v, o.attests.name(), a, problems);
    readShorthand(o.provenance, a.provenance, o.attests.name(), problems);
    readShorthand(o.sbom, a.sbom, o.attests.name(), problems);
    return a;
}

// In CI, the run is the builder id unless one is given (docker/build-push-action's rule on
// GitHub; hoist's on GitLab).
std::string withBuilderId(const std::string& attrs, const ci::CiContext& ci,
                          const cli::BuildOptions& o)
{
    if (!o.ciDefaults.value || ci.builderId.empty() ||
        attrs.find("builder-id=") != std::string::npos)
        return attrs;
    return attrs + (attrs.empty() ? "" : ",") + "builder-id=" + ci.builderId;
}

// A boolean variable buildx reads, parsed as Go's strconv.ParseBool; unset or empty: false.
bool envFlag(const base::Env& env, const std::string& name, base::Problems& problems)
{
    const std::string v = env.getOr(name, "");
    if (v.empty())
        return false;
    auto b = parseBool(v);
    if (!b)
        problems.push_back(
            base::Problem{"", name + "=" + base::quoted(v) + " is not true or false", ""});
    return b.value_or(false);
}

// With none given: buildx's default (min, inline only); on GitHub, docker/build-push-action's,
// which depends on the repository's visibility, unless the image goes to the engine (the
// action adds nothing then, and buildx's default applies).
std::string defaultProvenance(const cli::BuildOptions& o, const ci::CiContext& ci,
                              const BuildPlan& p, bool github)
{
    bool dockerExporter = false;
    for (const auto& out : p.request.outputs)
        dockerExporter = dockerExporter || out.type == buildrun::OutputType::Docker;
    if (github && !dockerExporter)
        return withBuilderId(
            ci.repositoryPrivate.value_or(false) ? "mode=min,inline-only=true" : "mode=max", ci, o);
    if (github)
        return "mode=min,inline-only=true";
    return withBuilderId("mode=min,inline-only=true", ci, o);
}

} // namespace

void attestations(const cli::BuildOptions& o, const ci::CiContext& ci, const base::Env& env,
                  BuildPlan& p, base::Problems& problems)
{
    Attestations a = readAttestations(o, problems);
    buildrun::BuildRequest& r = p.request;
    const bool github = ci.provider == ci::CiContext::Provider::GitHub && o.ciDefaults.value;
    if (a.provenance.given)
    {
        if (a.provenance.enabled)
            r.provenance = withBuilderId(a.provenance.attrs, ci, o);
    }
    else if (!envFlag(env, "BUILDX_NO_DEFAULT_ATTESTATIONS", problems))
        r.provenance = defaultProvenance(o, ci, p, github);
    if (a.sbom.given && a.sbom.enabled)
        r.sbom = a.sbom.attrs;
}

void settings(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
              BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    r.noCache = o.noCache.value;
    r.pull = o.pull.value;
    for (const auto& v : o.addHosts.value)
    {
        auto colon = v.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
            problems.push_back(
                base::Problem{o.addHosts.name(),
                              o.addHosts.name() + " " + base::quoted(v) + " is not HOST:IP", ""});
        else
            r.addHosts.emplace_back(v.substr(0, colon), v.substr(colon + 1));
    }
    if (o.network.value == "none" || o.network.value == "host")
        r.network = o.network.value;
    for (const auto& v : o.buildContexts.value)
    {
        auto kv = keyValue(v, o.buildContexts.name(), problems);
        if (kv.first.empty())
            continue;
        kv.second = expandDefaultContext(kv.second, ci, o.buildContexts.name(), problems);
        if (buildrun::isLocalDir(kv.second))
        {
            if (files.kind(kv.second) == FileView::Kind::Missing)
                problems.push_back(base::Problem{o.buildContexts.name(),
                                                 o.buildContexts.name() + " " + kv.first +
                                                     ": no directory " + base::quoted(kv.second),
                                                 ""});
            kv.second = files.absolute(kv.second);
        }
        r.namedContexts.push_back(kv);
    }
    r.metadataFile = o.metadataFile.value;
    r.iidFile = o.iidFile.value;
    for (const auto& t : r.tags)
        addHost(r.registryHosts, t);
    for (const auto* list : {&r.cacheFrom, &r.cacheTo})
    {
        for (const auto& c : *list)
        {
            if (c.type == buildrun::CacheType::Registry && !c.attr("ref").empty())
                addHost(r.registryHosts, c.attr("ref"));
        }
    }
}

void buildxEnvironment(const base::Env& env, BuildPlan& p, base::Problems& problems)
{
    p.request.metadataWarnings = envFlag(env, "BUILDX_METADATA_WARNINGS", problems);
    // As buildx: SOURCE_DATE_EPOCH from the environment is the build argument, unless one is
    // given (an explicit --build-arg, or --source-date-epoch's commit time).
    const std::string epoch = env.getOr("SOURCE_DATE_EPOCH", "");
    auto& args = p.request.buildArgs;
    if (!epoch.empty() &&
        std::none_of(args.begin(), args.end(),
                     [](const auto& a) { return a.first == "SOURCE_DATE_EPOCH"; }))
        args.emplace_back("SOURCE_DATE_EPOCH", epoch);
    if (envFlag(env, "BUILDX_SEND_GIT_QUERY_AS_INPUT", problems))
        problems.push_back(base::Problem{
            "",
            "BUILDX_SEND_GIT_QUERY_AS_INPUT=" + env.getOr("BUILDX_SEND_GIT_QUERY_AS_INPUT", "") +
                ": not supported yet by hoist, which sends a git context's #ref:subdir to "
                "BuildKit in its URL (buildx's default)",
            "unset it"});
}

} // namespace hoist::plan::steps
