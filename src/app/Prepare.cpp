// This file implements the build's preparation, the side effects the plan leaves out: the
// .dockerignore read and the context scanned, the secrets' and ssh keys' values read, and
// each of them and the gha token registered for redaction.

#include "app/Prepare.h"

#include "base/Redactor.h"
#include "buildrun/DockerIgnore.h"
#include "cli/ActionList.h"
#include "plan/LocalFiles.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

namespace hoist::app
{

namespace
{

void readSecrets(const plan::BuildPlan& plan, const base::Env& env, buildrun::BuildRequest& r,
                 base::Problems& problems)
{
    plan::LocalFiles files;
    for (const auto& s : plan.secrets)
    {
        buildrun::Secret secret{s.id, ""};
        if (s.fromInput)
        {
            auto value = cli::ActionList::secret(env, s.id);
            if (!value || value->empty())
            {
                problems.push_back(base::Problem{
                    s.option,
                    s.option + " " + s.id + " has no value: give it as KEY=VALUE (value hidden)",
                    ""});
                continue;
            }
            secret.value = *value;
        }
        else if (!s.env.empty())
            secret.value = env.getOr(s.env, "");
        else
        {
            try
            {
                secret.value = files.read(s.file);
            }
            catch (const Poco::Exception& e)
            {
                problems.push_back(
                    base::Problem{s.option, s.option + " id=" + s.id + ": " + e.message(), ""});
                continue;
            }
        }
        if (secret.value.size() > 500 * 1024)
            problems.push_back(base::Problem{
                s.option, s.option + " id=" + s.id + " is over BuildKit's 500 KiB limit", ""});
        base::Redactor::instance().add(secret.value);
        r.secrets.push_back(secret);
    }
}

// The ssh forwardings: agents as they are, key files read (their contents are secrets).
void readSsh(const plan::BuildPlan& plan, buildrun::BuildRequest& r, base::Problems& problems)
{
    plan::LocalFiles files;
    for (const auto& s : plan.ssh)
    {
        buildrun::Ssh ssh{s.id, s.socket, {}};
        for (const auto& f : s.keyFiles)
        {
            try
            {
                ssh.keys.push_back(files.read(f));
                base::Redactor::instance().add(ssh.keys.back());
            }
            catch (const Poco::Exception& e)
            {
                problems.push_back(
                    base::Problem{s.option, s.option + " " + s.id + ": " + e.message(), ""});
            }
        }
        r.ssh.push_back(ssh);
    }
}

} // namespace

PreparedBuild prepare(const plan::BuildPlan& plan, const base::Env& env, base::Problems& problems)
{
    PreparedBuild p;
    p.request = plan.request;
    p.warnings = plan.warnings;
    p.ciDefaults = plan.ciDefaults;
    buildrun::DockerIgnore ignore;
    if (!plan.ignoreFile.empty())
    {
        try
        {
            ignore = buildrun::DockerIgnore::parse(plan::LocalFiles().read(plan.ignoreFile),
                                                   plan.ignoreFile, problems);
        }
        catch (const Poco::Exception& e)
        {
            problems.push_back(
                base::Problem{"", "cannot read " + plan.ignoreFile + ": " + e.message(), ""});
        }
    }
    if (!p.request.contextDir.empty() && Poco::File(p.request.contextDir).exists())
        p.context = buildrun::ContextTar::scan(p.request.contextDir, ignore, problems);
    readSecrets(plan, env, p.request, problems);
    readSsh(plan, p.request, problems);
    base::Redactor::instance().add(p.request.ghaToken);
    return p;
}

} // namespace hoist::app
