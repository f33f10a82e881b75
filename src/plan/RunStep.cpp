// How RUN steps run and what the build is asked to do, with buildx's flags and checks:
// entitlements, /dev/shm, ulimits, resource limits, the cgroup parent, stages without the
// cache, --call.

#include "plan/BuildPlan.h"

#include "base/Size.h"
#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "cli/Resource.h"

#include <Poco/NumberParser.h>

#include <algorithm>
#include <set>

namespace hoist::plan::steps
{

namespace
{

// docker's units.ParseUlimit: NAME=SOFT[:HARD] with a known name, SOFT <= HARD; "" when fine.
std::string ulimitProblem(const std::string& v, std::string& normalized)
{
    static const std::set<std::string> NAMES = {
        "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue", "nice",
        "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};
    const auto eq = v.find('=');
    if (eq == std::string::npos)
        return "is not TYPE=SOFT[:HARD]";
    const std::string name = v.substr(0, eq);
    if (!NAMES.count(name))
        return "names no ulimit (core, cpu, data, fsize, locks, memlock, msgqueue, nice, "
               "nofile, nproc, rss, rtprio, rttime, sigpending, stack)";
    const std::string limits = v.substr(eq + 1);
    const auto colon = limits.find(':');
    Poco::Int64 soft = 0, hard = 0;
    const std::string hardText = colon == std::string::npos ? limits : limits.substr(colon + 1);
    if (!Poco::NumberParser::tryParse64(limits.substr(0, colon), soft) ||
        !Poco::NumberParser::tryParse64(hardText, hard))
        return "must give whole numbers: TYPE=SOFT[:HARD]";
    if (soft > hard)
        return "has a soft limit above its hard limit";
    normalized = name + "=" + std::to_string(soft) + ":" + std::to_string(hard);
    return "";
}

bool entitlement(const std::string& v)
{
    return v == "network.host" || v == "security.insecure" || v == "device" ||
           base::startsWith(v, "device=");
}

void call(const cli::BuildOptions& o, BuildPlan& p, base::Problems& problems)
{
    std::string call = o.call.value;
    if (o.check.value)
    {
        if (o.call.given() && call != "check")
            problems.push_back(base::Problem{o.check.name(),
                                             o.check.name() + " and " + o.call.name() + " " +
                                                 base::quoted(call) +
                                                 " exclude each other: give one",
                                             ""});
        call = "check";
    }
    if (call.empty() || call == "build")
        return;
    if (call == "check")
        p.request.call = "lint"; // buildx's name for the frontend's check request
    else if (call == "outline" || call == "targets")
        p.request.call = call;
    else
        problems.push_back(
            base::Problem{o.call.name(),
                          o.call.name() + " " + base::quoted(call) +
                              " is not supported yet: give build, check, outline or targets",
                          ""});
}

} // namespace

void runSettings(const cli::BuildOptions& o, BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    for (const auto& v : o.allow.value)
    {
        if (!entitlement(v))
            problems.push_back(
                base::Problem{o.allow.name(),
                              o.allow.name() + " " + base::quoted(v) +
                                  " is not an entitlement: network.host, security.insecure or "
                                  "device[=NAME]",
                              ""});
        else if (std::find(r.allow.begin(), r.allow.end(), v) == r.allow.end())
            r.allow.push_back(v);
    }
    if (o.shmSize.given())
    {
        auto size = base::parseSize(o.shmSize.value);
        if (!size || *size <= 0)
            problems.push_back(
                base::Problem{o.shmSize.name(),
                              o.shmSize.name() + " " + base::quoted(o.shmSize.value) +
                                  " is not a size: bytes or a number with k, m or g (e.g. 128m)",
                              ""});
        else
            r.shmSize = *size;
    }
    for (const auto& v : o.ulimits.value)
    {
        std::string normalized;
        const std::string problem = ulimitProblem(v, normalized);
        if (!problem.empty())
            problems.push_back(base::Problem{
                o.ulimits.name(), o.ulimits.name() + " " + base::quoted(v) + " " + problem, ""});
        else
            r.ulimits.push_back(normalized);
    }
    for (const auto& v : o.resources.value) // checked as they were read (cli::Resource)
    {
        std::string problem;
        const cli::Resource limit = cli::Resource::read(v, problem);
        if (!limit.attr.empty())
            r.resources[limit.attr] = limit.value; // the last one given wins, as in buildx
    }
    r.cgroupParent = o.cgroupParent.value;
    r.noCacheFilter = o.noCacheFilters.value;
    if (!r.noCacheFilter.empty() && o.noCache.value)
        problems.push_back(base::Problem{o.noCache.name(),
                                         o.noCache.name() + " and " + o.noCacheFilters.name() +
                                             " exclude each other, as in buildx: give one",
                                         ""});
    call(o, p, problems);
}

} // namespace hoist::plan::steps
