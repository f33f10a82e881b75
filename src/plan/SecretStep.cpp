// Where each --secret's value is: a variable or a file, as buildctl decides when neither is
// named. The values are read later, by the preparation step.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"

namespace hoist::plan::steps
{

namespace
{

// build-push-action's token for the repository's own git context (GIT_AUTH_TOKEN.<host>),
// unless the build has a GIT_AUTH_TOKEN secret already.
void gitToken(const cli::BuildOptions& o, const ci::CiContext& ci, const base::Env& env,
              BuildPlan& p)
{
    const std::string repo = ci.gitContext.substr(0, ci.gitContext.find('#'));
    if (o.gitTokenEnv.value.empty() || env.getOr(o.gitTokenEnv.value, "").empty() || repo.empty() ||
        !base::startsWith(p.request.remoteContext, repo))
        return;
    for (const auto& s : p.secrets)
    {
        if (base::startsWith(s.id, "GIT_AUTH_TOKEN"))
            return;
    }
    SecretSource s;
    s.id = "GIT_AUTH_TOKEN." + ci.gitHost;
    s.env = o.gitTokenEnv.value;
    s.option = o.gitTokenEnv.name();
    p.secrets.push_back(s);
}

} // namespace

void secrets(const cli::BuildOptions& o, const ci::CiContext& ci, const base::Env& env,
             const FileView& files, BuildPlan& p, base::Problems& problems)
{
    const std::string& option = o.secrets.name();
    for (const auto& v : o.secrets.value)
    {
        const std::size_t known = problems.size();
        AttrList a = parseAttrs(v, option, false, problems);
        if (problems.size() > known)
            continue;
        SecretSource s;
        s.id = a.attr("id");
        s.option = option;
        s.file = a.attr("src").empty() ? a.attr("source") : a.attr("src");
        s.env = a.attr("env");
        if (s.id.empty())
        {
            problems.push_back(
                base::Problem{option, option + " " + base::quoted(v) + " needs id=ID", ""});
            continue;
        }
        if (!a.attr("input").empty())
        {
            // Only the action's `secrets` input makes this form (its value stays there).
            if (o.secrets.source.origin != cli::Origin::Input || a.attr("input") != "secrets")
                problems.push_back(base::Problem{
                    "", option + " " + base::quoted(v) + ": input= is not an attribute of --secret",
                    ""});
            s.fromInput = true;
            s.option = "the action input secrets";
            p.secrets.push_back(s);
            continue;
        }
        if (s.file.empty() && s.env.empty())
        {
            // buildctl's rule: the variable named like the id, else a file named like it.
            if (env.get(s.id))
                s.env = s.id;
            else
                s.file = s.id;
        }
        if (!s.env.empty() && !env.get(s.env))
        {
            problems.push_back(base::Problem{
                "", option + " id=" + s.id + ": the variable " + s.env + " is not set", ""});
            continue;
        }
        if (s.env.empty() && files.kind(s.file) == FileView::Kind::Missing)
        {
            problems.push_back(base::Problem{
                "", option + " id=" + s.id + ": no file " + base::quoted(s.file), ""});
            continue;
        }
        p.secrets.push_back(s);
    }
    gitToken(o, ci, env, p);
}

} // namespace hoist::plan::steps
