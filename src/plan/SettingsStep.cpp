// Attestations as docker/build-push-action sets them, and the build's other settings.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"

#include <algorithm>

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

} // namespace

void attestations(const cli::BuildOptions& o, const ci::CiContext& ci, BuildPlan& p)
{
    buildrun::BuildRequest& r = p.request;
    // min and inline-only by default, as docker/build-push-action sets it.
    r.provenance = "mode=min,inline-only=true";
    if (o.provenance.given())
    {
        const std::string& v = o.provenance.value;
        if (v == "false" || v == "0")
            r.provenance.reset();
        else if (v == "true" || v == "1")
            r.provenance = "mode=max";
        else
            r.provenance = v;
    }
    // The CI run is the builder id unless one is given.
    if (r.provenance && !ci.runUrl.empty() &&
        r.provenance->find("builder-id=") == std::string::npos)
        *r.provenance +=
            (r.provenance->empty() ? "" : ",") + std::string("builder-id=") + ci.runUrl;
    if (o.sbom.given())
    {
        const std::string& v = o.sbom.value;
        if (v == "true" || v == "1")
            r.sbom = "";
        else if (v != "false" && v != "0")
            r.sbom = v;
    }
}

void settings(const cli::BuildOptions& o, const FileView& files, BuildPlan& p,
              std::vector<std::string>& problems)
{
    buildrun::BuildRequest& r = p.request;
    r.noCache = o.noCache.value;
    r.pull = o.pull.value;
    for (const auto& v : o.addHosts.value)
    {
        auto colon = v.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
            problems.push_back(o.addHosts.name() + " " + base::quoted(v) + " is not HOST:IP");
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
        if (kv.second.find("://") == std::string::npos)
        {
            if (files.kind(kv.second) == FileView::Kind::Missing)
                problems.push_back(o.buildContexts.name() + " " + kv.first + ": no directory " +
                                   base::quoted(kv.second));
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

} // namespace hoist::plan::steps
