// This file implements the plan of `hoist merge`: the sources and tags checked as image
// references, the index's annotations, and the plain-http registries.

#include "plan/MergePlan.h"

#include "plan/Attrs.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"

namespace hoist::plan
{

namespace
{

void checkTags(const cli::MergeOptions& o, base::Problems& problems)
{
    if (o.tags.value.empty() && !o.dryRun.value)
        problems.push_back(base::Problem{
            o.tags.name(), "give at least one " + o.tags.flag() + " to push the image to", ""});
    for (const auto& tag : o.tags.value)
    {
        const std::string problem = engine::ImageRef::problem(tag);
        if (!problem.empty())
            problems.push_back(base::Problem{
                o.tags.name(), o.tags.name() + " " + base::quoted(tag) + " " + problem, ""});
        else if (!engine::ImageRef::parse(tag).digest.empty())
            problems.push_back(base::Problem{o.tags.name(),
                                             o.tags.name() + " " + base::quoted(tag) +
                                                 " names a digest: give a tag to push to",
                                             ""});
    }
}

// buildx imagetools create's --annotation: an index's only, KEY=VALUE or index:KEY=VALUE.
void annotations(const cli::MergeOptions& o, MergePlan& p, base::Problems& problems)
{
    for (const auto& a : o.annotations.value)
    {
        auto kv = keyValue(a, o.annotations.name(), problems);
        if (base::startsWith(kv.first, "index:"))
            kv.first = kv.first.substr(6);
        if (kv.first.find(':') != std::string::npos)
            problems.push_back(
                base::Problem{o.annotations.name(),
                              o.annotations.name() + " " + base::quoted(a) +
                                  ": a merged index takes index:KEY=VALUE or KEY=VALUE",
                              ""});
        else if (!kv.first.empty())
            p.annotations[kv.first] = kv.second;
    }
}

} // namespace

MergePlan planMerge(const cli::MergeOptions& o, const std::vector<std::string>& sources,
                    base::Problems& problems)
{
    MergePlan p;
    p.sources = sources;
    if (sources.empty())
        problems.push_back(
            base::Problem{"",
                          "give the images to merge: SOURCE arguments (NAME@DIGEST) or " +
                              o.digestsDir.flag() + " DIR",
                          ""});
    for (const auto& ref : sources)
    {
        const std::string problem = engine::ImageRef::problem(ref);
        if (!problem.empty())
            problems.push_back(
                base::Problem{"", "the source " + base::quoted(ref) + " " + problem, ""});
    }
    checkTags(o, problems);
    annotations(o, p, problems);
    p.plainHttp = registryHosts(o.insecureRegistries, problems);
    return p;
}

} // namespace hoist::plan
