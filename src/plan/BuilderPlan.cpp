// This file implements the builder's plan: the driver options, the buildkitd config (a file,
// inline TOML or buildx's default file), buildkitd's flags, the CI's provenance context, and
// buildx's store directory.

#include "plan/BuilderPlan.h"

#include "base/Error.h"
#include "base/Strings.h"
#include "ci/ProvenanceContext.h"
#include "engine/ImageRef.h"

namespace hoist::plan
{

builder::BuildkitdConfig buildkitdConfig(const cli::SetupOptions& o, const std::string& buildxDir,
                                         const FileView& files, base::Problems& problems)
{
    const std::string defaultFile = buildxDir + "/buildkitd.default.toml";
    if (o.buildkitdConfig.given() && o.buildkitdConfigInline.given())
    {
        problems.push_back(base::Problem{o.buildkitdConfig.name(),
                                         o.buildkitdConfig.name() + " and " +
                                             o.buildkitdConfigInline.name() +
                                             " exclude each other: give one",
                                         ""});
        return {};
    }
    auto read = [&](const std::string& path) { return files.read(path); };
    if (o.buildkitdConfigInline.given())
        return builder::BuildkitdConfig::fromToml(o.buildkitdConfigInline.value,
                                                  o.buildkitdConfigInline.name(), read, problems);
    const std::string file = o.buildkitdConfig.given() ? o.buildkitdConfig.value : defaultFile;
    if (files.kind(file) == FileView::Kind::Missing)
    {
        if (o.buildkitdConfig.given())
            problems.push_back(base::Problem{
                o.buildkitdConfig.name(),
                o.buildkitdConfig.name() + " " + base::quoted(file) + " does not exist", ""});
        return {};
    }
    std::string toml;
    try
    {
        toml = files.read(file);
    }
    catch (const Poco::Exception& e)
    {
        problems.push_back(base::Problem{o.buildkitdConfig.name(),
                                         o.buildkitdConfig.name() + " " + base::quoted(file) +
                                             " cannot be read: " + e.message(),
                                         ""});
        return {};
    }
    return toml.empty() ? builder::BuildkitdConfig()
                        : builder::BuildkitdConfig::fromToml(toml, file, read, problems);
}

builder::BuilderSpec planBuilder(const cli::SetupOptions& options, const BuilderContext& context,
                                 const ci::CiContext& ci, const base::Env& env,
                                 const FileView& files, base::Problems& problems)
{
    builder::BuilderSpec s;
    s.name = context.name;
    s.session = ci.session;
    s.labels = ci.labels;
    s.hoistVersion = context.hoistVersion;
    if (options.driver.value == "remote")
        return s; // planRemote plans it
    if (options.endpoint.given())
        problems.push_back(base::Problem{
            options.endpoint.name(),
            options.endpoint.name() + " is the remote driver's buildkitd address; a " +
                "docker-container builder runs on the engine DOCKER_HOST or DOCKER_CONTEXT "
                "chooses",
            "remove it and set DOCKER_HOST, or add " + options.driver.name() + " remote"});
    s.opts =
        builder::DriverOpts::parse(options.driverOpts.value, options.driverOpts.name(), problems);
    s.config = buildkitdConfig(options, context.buildxDir, files, problems);
    // BuildKit reads provenance.d once, at start: the file goes in with every container made.
    if (s.opts.provenanceAddGha)
    {
        try
        {
            auto read = [&](const std::string& path) { return files.read(path); };
            if (auto gh = ci::ProvenanceContext::github(env, read))
                s.extraFiles[ci::ProvenanceContext::GITHUB_FILE] = *gh;
            else if (auto gl = ci::ProvenanceContext::gitlab(env))
                s.extraFiles[ci::ProvenanceContext::GITLAB_FILE] = *gl;
        }
        catch (const base::ConfigException& e)
        {
            problems.push_back(base::Problem{"", e.message(), ""});
        }
    }
    if (options.qemuImage.given())
    {
        const std::string problem = engine::ImageRef::problem(options.qemuImage.value);
        if (!problem.empty())
            problems.push_back(base::Problem{options.qemuImage.name(),
                                             options.qemuImage.name() + " " +
                                                 base::quoted(options.qemuImage.value) + " " +
                                                 problem,
                                             ""});
    }
    s.flags =
        builder::BuildkitdConfig::flags(options.buildkitdFlags.value, options.buildkitdFlags.name(),
                                        s.opts.network, s.config.grantsNetworkHost(), problems);
    return s;
}

std::string buildxDir(const base::Env& env, const std::string& dockerConfigDir)
{
    return env.getOr("BUILDX_CONFIG", dockerConfigDir + "/buildx");
}

} // namespace hoist::plan
