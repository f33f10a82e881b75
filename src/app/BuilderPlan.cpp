#include "app/BuilderPlan.h"

#include "app/BuildInfo.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "ci/ProvenanceContext.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

namespace hoist::app
{

std::string BuilderPlan::buildxDir(const engine::DockerConfig& docker, const base::Env& env)
{
    return env.getOr("BUILDX_CONFIG", docker.dir() + "/buildx");
}

builder::BuilderSpec BuilderPlan::spec(const cli::ParsedCommand& cmd, const ci::CiContext& ci,
                                       const engine::DockerConfig& docker, const base::Env& env,
                                       std::vector<std::string>& problems)
{
    builder::BuilderSpec s;
    s.name = cmd.get("builder");
    s.session = ci.session;
    s.labels = ci.labels;
    s.hoistVersion = BuildInfo::current().version;
    s.opts = builder::DriverOpts::parse(cmd.getList("driver-opt"), problems);

    // The config: a file, inline text, or buildx's default file when it exists.
    std::string toml, source;
    const std::string file = cmd.get("buildkitd-config");
    const std::string inlineToml = cmd.get("buildkitd-config-inline");
    if (!file.empty() && !inlineToml.empty())
        problems.push_back(
            "--buildkitd-config and --buildkitd-config-inline exclude each other: give one");
    else if (!file.empty() || !inlineToml.empty() ||
             Poco::File(buildxDir(docker, env) + "/buildkitd.default.toml").exists())
    {
        source = !inlineToml.empty() ? std::string("--buildkitd-config-inline")
                 : !file.empty()     ? file
                                     : buildxDir(docker, env) + "/buildkitd.default.toml";
        if (!inlineToml.empty())
            toml = inlineToml;
        else if (!Poco::File(source).exists())
            problems.push_back("--buildkitd-config " + base::quoted(source) + " does not exist");
        else
        {
            try
            {
                Poco::FileInputStream in(source);
                Poco::StreamCopier::copyToString(in, toml);
            }
            catch (const Poco::Exception& e)
            {
                problems.push_back("--buildkitd-config " + base::quoted(source) +
                                   " cannot be read: " + e.message());
            }
        }
        if (!toml.empty())
            s.config = builder::BuildkitdConfig::fromToml(toml, source, problems);
    }
    // BuildKit reads provenance.d once, at start: the file goes in with every container made.
    if (s.opts.provenanceAddGha)
    {
        try
        {
            if (auto gh = ci::ProvenanceContext::github(env))
                s.extraFiles[ci::ProvenanceContext::GITHUB_FILE] = *gh;
            else if (auto gl = ci::ProvenanceContext::gitlab(env))
                s.extraFiles[ci::ProvenanceContext::GITLAB_FILE] = *gl;
        }
        catch (const base::ConfigException& e)
        {
            problems.push_back(e.message());
        }
    }
    s.flags = builder::BuildkitdConfig::flags(cmd.get("buildkitd-flags"), s.opts.network,
                                              s.config.grantsNetworkHost(), problems);
    return s;
}

} // namespace hoist::app
