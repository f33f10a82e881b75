// This file implements `hoist merge`: the sources (given, or read from the legs' digest files),
// their images merged into one index, and the index pushed to each tag (printed with --dry-run).

#include "app/MergeCommand.h"

#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "ci/CiContext.h"
#include "cli/OptionParser.h"
#include "engine/DockerConfig.h"
#include "engine/ImageRef.h"
#include "engine/RegistryAuth.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/MergePlan.h"
#include "registry/Merger.h"
#include "report/CiReport.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace hoist::app
{

namespace
{

// The sources given, then those a leg recorded in the digests directory (a file each).
std::vector<std::string> sources(const cli::MergeOptions& o, base::Problems& problems)
{
    std::vector<std::string> out = o.sources.value;
    if (!o.digestsDir.given())
        return out;
    const Poco::File dir(o.digestsDir.value);
    if (!dir.exists() || !dir.isDirectory())
    {
        problems.push_back(base::Problem{
            o.digestsDir.name(),
            o.digestsDir.name() + " " + base::quoted(o.digestsDir.value) + " is not a directory",
            ""});
        return out;
    }
    // A file a leg wrote; not a directory (download-artifact without merge-multiple makes one
    // a leg: merge them into one directory) nor a hidden file.
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        if (it.name()[0] == '.')
            continue;
        if (it->isDirectory())
            problems.push_back(base::Problem{o.digestsDir.name(),
                                             o.digestsDir.name() + " " +
                                                 base::quoted(o.digestsDir.value) +
                                                 " holds a directory, " + it.name() +
                                                 ": give the directory the legs' files are in",
                                             ""});
        else
            names.push_back(it.name());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names)
    {
        std::string ref;
        try
        {
            Poco::FileInputStream in(o.digestsDir.value + "/" + name);
            std::getline(in, ref);
        }
        catch (const Poco::Exception& e)
        {
            problems.push_back(base::Problem{
                "", "cannot read " + o.digestsDir.value + "/" + name + ": " + e.message(), ""});
            continue;
        }
        if (Poco::trim(ref).empty())
            problems.push_back(base::Problem{
                "", o.digestsDir.value + "/" + name + " is empty: a leg writes NAME@DIGEST there",
                ""});
        else
            out.push_back(Poco::trim(ref));
    }
    return out;
}

std::string pretty(const std::string& json)
{
    std::ostringstream out;
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true)); // keys in their order
    parser.parse(json).extract<Poco::JSON::Object::Ptr>()->stringify(out, 2);
    return out.str();
}

// What imagetools create --metadata-file writes: the index's descriptor and the repositories
// of the tags, sorted and joined by commas.
std::string metadata(const registry::Index& index, const std::vector<std::string>& tags)
{
    Poco::JSON::Object::Ptr desc = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    desc->set("mediaType", index.manifest().mediaType);
    desc->set("digest", index.manifest().digest);
    desc->set("size", static_cast<Poco::Int64>(index.manifest().body.size()));
    std::set<std::string> repositories;
    for (const auto& t : tags)
    {
        const engine::ImageRef ref = engine::ImageRef::parse(t);
        repositories.insert(ref.registry + "/" + ref.repository);
    }
    Poco::JSON::Object m(Poco::JSON_PRESERVE_KEY_ORDER);
    m.set("containerimage.descriptor", desc);
    m.set("image.name",
          base::join(std::vector<std::string>(repositories.begin(), repositories.end()), ","));
    std::ostringstream out;
    m.stringify(out, 2);
    return out.str() + "\n";
}

} // namespace

int MergeCommand::run(const cli::Options& o, const base::Env& env, report::Console& console,
                      std::ostream& err, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    const plan::MergePlan mp = plan::planMerge(o.merge, sources(o.merge, problems), problems);
    const engine::DockerConfig config = engine::DockerConfig::load(env);
    // Plain http to the registries named; to those of the builders' config as it says.
    registry::RegistryHosts hosts;
    hosts.plainHttp = mp.plainHttp;
    const builder::BuildkitdConfig buildkitd = plan::buildkitdConfig(
        o.setup, plan::buildxDir(env, config.dir()), plan::LocalFiles(), problems);
    hosts.plainHttp.insert(buildkitd.plainHttpRegistries().begin(),
                           buildkitd.plainHttpRegistries().end());
    hosts.insecure = buildkitd.insecureRegistries();
    hosts.cas = buildkitd.registryCas();
    cli::OptionParser::throwIfAny(problems, o.command);

    engine::RegistryAuth auth(config, env);
    for (const auto& login : ci.logins)
        auth.add(login.host, {login.user, login.password, "", "", ""});
    registry::Merger merger([&](const std::string& host) { return auth.forRegistry(host); }, hosts,
                            [&](const std::string& n) { console.note(n); });
    report::CiReport rep(ci, o.common.resultFile.value, o.build.dotenvFile.value, err);
    report::RunReport rr;
    rr.command = "merge";
    rr.tags = o.merge.tags.value;
    Poco::Timestamp started;
    try
    {
        std::vector<registry::SourceImage> images = merger.read(mp.sources, problems);
        const registry::Index index = registry::Index::merge(
            images, {mp.annotations, mp.descriptorAnnotations, mp.platforms}, problems);
        cli::OptionParser::throwIfAny(problems, o.command);
        if (o.merge.dryRun.value)
        {
            console.print(pretty(index.manifest().body) + "\n");
            console.note("dry run: the index would be " + index.manifest().digest +
                         "; nothing pushed");
            return base::EXIT_OK;
        }
        rr.build.digest = merger.push(index, o.merge.tags.value);
        // A multi-platform image's id is its index's digest, as buildx gives it.
        rr.build.imageId = rr.build.digest;
        rr.build.metadata = metadata(index, o.merge.tags.value);
        rr.platforms = index.platforms();
        rr.built = true;
        if (!mp.metadataFile.empty())
            base::AtomicFile::put(mp.metadataFile, rr.build.metadata);
        if (!o.build.iidFile.value.empty()) // a build on nodes: its --iidfile
            base::AtomicFile::put(o.build.iidFile.value, rr.build.imageId);
    }
    catch (const Poco::Exception& e)
    {
        rep.fail(rr, e, started.elapsed() / 1e6);
        throw;
    }
    rr.seconds = started.elapsed() / 1e6;
    rep.finish(rr);
    console.print(rr.build.digest + "\n");
    return base::EXIT_OK;
}

} // namespace hoist::app
