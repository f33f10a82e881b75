// This file implements the plan of `hoist merge`: the sources and tags checked as image
// references, the index's and its descriptors' annotations, the platforms kept, and the
// plain-http registries.

#include "plan/MergePlan.h"

#include "plan/Attrs.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"
#include "qemu/Emulation.h"

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

// One annotation of imagetools create's --annotation, as annotationAttrs() gives it.
void annotation(const std::string& attr, const std::string& value, const std::string& given,
                const std::string& option, MergePlan& p, base::Problems& problems)
{
    const auto dot = attr.find('.');
    const std::string type = attr.substr(0, dot);
    const std::string key = attr.substr(dot + 1);
    const std::string at = option + " " + base::quoted(given);
    if (type == "annotation" || type == "annotation-index")
        p.annotations[key] = value;
    else if (base::startsWith(type, "annotation-manifest-descriptor"))
    {
        const auto open = type.find('[');
        p.descriptorAnnotations[open == std::string::npos
                                    ? ""
                                    : type.substr(open + 1, type.size() - open - 2)][key] = value;
    }
    else if (base::startsWith(type, "annotation-manifest"))
        problems.push_back(base::Problem{
            option,
            at + ": a manifest: annotation belongs on each platform's image, which a merge does "
                 "not rewrite: give it to the legs' builds; a merged index takes index: and "
                 "manifest-descriptor: annotations",
            "with docker/metadata-action, set DOCKER_METADATA_ANNOTATIONS_LEVELS=index on the "
            "merge job's metadata step (its default, manifest, is for the builds)"});
    else
        problems.push_back(base::Problem{
            option,
            at + ": an index-descriptor: annotation describes an index inside another, "
                 "and a merge makes the top one: use index: or manifest-descriptor:",
            ""});
}

// imagetools create's --annotation: the index's (index:KEY=VALUE, or KEY=VALUE) and its
// descriptors' (manifest-descriptor:, manifest-descriptor[PLATFORM]:).
void annotations(const cli::MergeOptions& o, MergePlan& p, base::Problems& problems)
{
    for (const auto& a : o.annotations.value)
    {
        std::vector<std::pair<std::string, std::string>> attrs;
        annotationAttrs(a, o.annotations.name(), attrs, problems);
        for (const auto& [attr, value] : attrs)
            annotation(attr, value, a, o.annotations.name(), p, problems);
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
    p.platforms = qemu::Emulation::platforms(o.platforms.value, o.platforms.name(), problems);
    p.metadataFile = o.metadataFile.value;
    p.plainHttp = registryHosts(o.insecureRegistries, problems);
    return p;
}

} // namespace hoist::plan
