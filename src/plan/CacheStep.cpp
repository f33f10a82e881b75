// The build's caches: --cache-from and --cache-to, the gha cache filled from the CI, and the
// cache that works in this CI when none is given.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"

namespace hoist::plan::steps
{

namespace
{

using buildrun::CacheType;

bool cacheType(const std::string& name, CacheType& type)
{
    static const std::pair<const char*, CacheType> TYPES[] = {{"registry", CacheType::Registry},
                                                              {"local", CacheType::Local},
                                                              {"inline", CacheType::Inline},
                                                              {"gha", CacheType::Gha},
                                                              {"s3", CacheType::S3},
                                                              {"azblob", CacheType::Azblob}};
    for (const auto& [n, t] : TYPES)
    {
        if (name == n)
        {
            type = t;
            return true;
        }
    }
    return false;
}

// A gha cache gets the CI's endpoints; its token goes to buildctl's environment, never its
// argv, and one token serves every gha cache of the build. False: skip it (said in warnings).
bool gha(AttrList& a, const std::string& option, const ci::CiContext& ci, BuildPlan& p,
         base::Problems& problems)
{
    const std::string given = a.take("token");
    const std::string token = given.empty() ? ci.gha.token : given;
    if (!token.empty() && !p.request.ghaToken.empty() && token != p.request.ghaToken)
        problems.push_back(
            base::Problem{option,
                          option + " type=gha: another token than the other gha caches'; give them "
                                   "one token",
                          ""});
    if (a.attr("url").empty() && !ci.gha.url.empty())
        a.attrs.emplace_back("url", ci.gha.url);
    if (a.attr("url_v2").empty() && !ci.gha.urlV2.empty())
        a.attrs.emplace_back("url_v2", ci.gha.urlV2);
    if (token.empty() || (a.attr("url").empty() && a.attr("url_v2").empty()))
    {
        p.warnings.push_back(option +
                             " type=gha skipped: no GitHub cache token and URL here "
                             "(ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL/ACTIONS_RESULTS_URL)");
        return false;
    }
    p.request.ghaToken = token;
    return true;
}

// A credential given as an attribute would reach buildctl's argv, which the engine shows to
// anyone who can read its events.
void refuseCredentials(const AttrList& a, const std::string& option, base::Problems& problems)
{
    for (const char* key : {"secret_access_key", "session_token", "access_key_id"})
    {
        if (!a.attr(key).empty())
            problems.push_back(base::Problem{
                "",
                option + " type=" + a.type + " " + key +
                    "=… is not supported yet: it would be in buildctl's command line; "
                    "give the builder its cloud credentials instead (an instance role "
                    "or workload identity)",
                ""});
    }
}

void given(const cli::Texts& option, bool exporting, const ci::CiContext& ci, const FileView& files,
           BuildPlan& p, base::Problems& problems)
{
    const char* localKey = exporting ? "dest" : "src";
    for (const auto& given : option.value)
    {
        // buildx's shorthand: a value that is only a reference is a registry cache.
        const bool shorthand = given.find_first_of("=,") == std::string::npos && !given.empty();
        const std::string v = shorthand ? "type=registry,ref=" + given : given;
        AttrList a = parseAttrs(v, option.name(), false, problems);
        buildrun::Cache c;
        if (a.type.empty())
        {
            problems.push_back(base::Problem{
                option.name(), option.name() + " " + base::quoted(v) + " needs type=…", ""});
            continue;
        }
        if (!cacheType(a.type, c.type))
        {
            problems.push_back(
                base::Problem{option.name(),
                              option.name() + " type=" + base::quoted(a.type) +
                                  " is not supported yet (use registry, local, inline, gha, s3 or "
                                  "azblob)",
                              ""});
            continue;
        }
        if (c.type == CacheType::Local)
        {
            const std::string dir = a.take(localKey);
            if (dir.empty())
                problems.push_back(base::Problem{
                    option.name(), option.name() + " type=local needs " + localKey + "=DIR", ""});
            c.hostDest = files.absolute(dir);
        }
        else if (c.type == CacheType::Gha && !gha(a, option.name(), ci, p, problems))
            continue;
        else if (c.type == CacheType::Registry && a.attr("ref").empty())
            problems.push_back(
                base::Problem{option.name(), option.name() + " type=registry needs ref=IMAGE", ""});
        else if (c.type == CacheType::Registry)
            checkRef(option.name() + " ref=", a.attr("ref"), problems);
        else if (c.type == CacheType::S3 || c.type == CacheType::Azblob)
            refuseCredentials(a, option.name(), problems);
        // A failed cache export is a warning, not a failed build, unless asked otherwise.
        if (exporting && c.type != CacheType::Inline && a.attr("ignore-error").empty())
            a.attrs.emplace_back("ignore-error", "true");
        c.attrs = a.attrs;
        (exporting ? p.request.cacheTo : p.request.cacheFrom).push_back(c);
    }
}

void ciDefault(const ci::CiContext& ci, BuildPlan& p)
{
    buildrun::BuildRequest& r = p.request;
    // The legs of a multi-platform image pushed by digest (one platform each, in one job of
    // a GitLab parallel matrix or GitHub jobs alike) keep their caches apart.
    const std::string leg =
        r.byDigest.empty() || r.platforms.empty() ? "" : "-" + buildrun::platformKey(r.platforms);
    if (ci.provider == ci::CiContext::Provider::GitHub && !ci.gha.token.empty() &&
        !(ci.gha.url.empty() && ci.gha.urlV2.empty()))
    {
        // GitHub's cache service, one scope per job (and leg).
        const std::string scope = ci.jobKey + leg;
        buildrun::Attrs attrs = {{"scope", scope}};
        r.ghaToken = ci.gha.token;
        if (!ci.gha.url.empty())
            attrs.emplace_back("url", ci.gha.url);
        if (!ci.gha.urlV2.empty())
            attrs.emplace_back("url_v2", ci.gha.urlV2);
        r.cacheFrom.push_back({CacheType::Gha, attrs, ""});
        attrs.emplace_back("mode", "max");
        attrs.emplace_back("ignore-error", "true");
        r.cacheTo.push_back({CacheType::Gha, attrs, ""});
        p.ciDefaults.push_back("cache type=gha,scope=" + scope + " (GitHub's cache service)");
    }
    else if (ci.provider == ci::CiContext::Provider::GitLab && !ci.registry.host.empty() &&
             !ci.source.imageName.empty() && !ci.source.refSlug.empty())
    {
        const std::string ref = ci.source.imageName + "/cache:" + ci.source.refSlug + leg;
        r.cacheFrom.push_back({CacheType::Registry, {{"ref", ref}}, ""});
        r.cacheTo.push_back(
            {CacheType::Registry, {{"ref", ref}, {"mode", "max"}, {"ignore-error", "true"}}, ""});
        p.ciDefaults.push_back("cache type=registry,ref=" + ref + " (the project's registry)");
    }
}

} // namespace

void caches(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
            BuildPlan& p, base::Problems& problems)
{
    given(o.cacheFrom, false, ci, files, p, problems);
    given(o.cacheTo, true, ci, files, p, problems);
    const bool ciDefaults = o.ciDefaults.value && ci.provider != ci::CiContext::Provider::Local;
    if (ciDefaults && o.cacheFrom.value.empty() && o.cacheTo.value.empty())
        ciDefault(ci, p);
}

} // namespace hoist::plan::steps
