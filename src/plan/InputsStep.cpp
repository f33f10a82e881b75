// What the build is given: target, platforms, arguments, labels, annotations, tags; and what
// the CI adds to them.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"
#include "qemu/Emulation.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

namespace hoist::plan::steps
{

void inputs(const cli::BuildOptions& o, const base::Env& env, BuildPlan& p,
            base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    r.target = o.target.value;
    r.platforms = qemu::Emulation::platforms(o.platforms.value, o.platforms.name(), problems);
    for (const auto& v : o.buildArgs.value)
    {
        auto eq = v.find('=');
        if (eq == 0 || v.empty()) // buildx: "invalid key-value pair: empty key"
            problems.push_back(base::Problem{o.buildArgs.name(),
                                             o.buildArgs.name() + " " + base::quoted(v) +
                                                 " has no name before '='",
                                             "give it as NAME=VALUE, or NAME alone to take "
                                             "the value of the variable NAME"});
        else if (eq != std::string::npos)
            r.buildArgs.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        else if (env.get(v)) // buildx: KEY alone takes its value from the environment, or none
            r.buildArgs.emplace_back(v, *env.get(v));
    }
    for (const auto& v : o.labels.value)
        r.labels.push_back(keyValue(v, o.labels.name(), problems));
    for (const auto& v : o.annotations.value)
        annotationAttrs(v, o.annotations.name(), r.annotations, problems);
    for (const auto& t : o.tags.value)
    {
        const std::string problem = engine::ImageRef::problem(t);
        if (!problem.empty())
            problems.push_back(base::Problem{
                o.tags.name(), o.tags.name() + " " + base::quoted(t) + " " + problem, ""});
        else
            r.tags.push_back(t);
    }
}

void ciTagsAndLabels(const cli::BuildOptions& o, const ci::CiContext& ci, BuildPlan& p)
{
    if (!o.ciDefaults.value || ci.provider == ci::CiContext::Provider::Local)
        return;
    buildrun::BuildRequest& r = p.request;
    bool makesImage = o.push.value || o.load.value;
    bool byDigest = o.pushByDigest.given(); // a leg of a merge: no tag of its own
    for (const auto& v : o.outputs.value)
    {
        makesImage = makesImage || v.find("type=registry") != std::string::npos ||
                     v.find("type=image") != std::string::npos ||
                     v.find("type=docker") != std::string::npos;
        byDigest = byDigest || v.find("push-by-digest=true") != std::string::npos;
    }
    if (r.tags.empty() && makesImage && !byDigest && !ci.source.imageName.empty() &&
        !ci.source.refSlug.empty())
    {
        r.tags.push_back(ci.source.imageName + ":" + ci.source.imageTag);
        if (ci.source.sha.size() >= 7)
            r.tags.push_back(ci.source.imageName + ":" + ci.source.sha.substr(0, 7));
        p.ciDefaults.push_back("tags " + base::join(r.tags, ", ") +
                               " (from the ref and the commit)");
    }
    auto label = [&](const std::string& key, const std::string& value)
    {
        if (value.empty())
            return;
        for (const auto& l : r.labels)
        {
            if (l.first == key)
                return;
        }
        r.labels.emplace_back(key, value);
        p.ciDefaults.push_back("label " + key + "=" + value);
    };
    label("org.opencontainers.image.source", ci.source.repoUrl);
    label("org.opencontainers.image.revision", ci.source.sha);
    label("org.opencontainers.image.created", ci.source.commitTime);
}

bool sourceDateEpoch(const cli::BuildOptions& o, const ci::CiContext& ci, BuildPlan& p,
                     base::Problems& problems)
{
    if (!o.sourceDateEpoch.value)
        return false;
    int tz = 0;
    Poco::DateTime when;
    if (ci.source.commitTime.empty() ||
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, ci.source.commitTime,
                                        when, tz))
    {
        problems.push_back(base::Problem{o.sourceDateEpoch.name(),
                                         o.sourceDateEpoch.name() +
                                             ": the CI gives no commit time here; pass one with " +
                                             o.buildArgs.flag() + " SOURCE_DATE_EPOCH=SECONDS",
                                         ""});
        return false;
    }
    p.request.buildArgs.emplace_back("SOURCE_DATE_EPOCH",
                                     std::to_string(when.timestamp().epochTime() - tz));
    return true;
}

} // namespace hoist::plan::steps
