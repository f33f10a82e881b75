// This file implements what a build brings back from its builder: metadata, outputs and local
// caches, streamed from the builder to this machine.

#include "buildrun/BuildOutputs.h"

#include "base/AtomicFile.h"
#include "base/BytePipe.h"
#include "base/TarExtractor.h"
#include "base/TarReader.h"
#include "buildrun/BuildctlArgs.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <limits>
#include <sstream>
#include <thread>

namespace hoist::buildrun
{

namespace
{

// Copies path out of the builder into onTar's reader while it is fetched, so a large result
// never sits in memory. Returns false when path does not exist.
bool streamOut(builder::BuildChannel& channel, const std::string& path,
               const std::function<void(std::istream&)>& onTar)
{
    base::BytePipe pipe;
    std::string error;
    std::thread reader(
        [&]
        {
            try
            {
                onTar(pipe.reader());
            }
            catch (const Poco::Exception& e)
            {
                error = e.message();
            }
            // Drain whatever is left so the writer never blocks on a reader that gave up.
            pipe.reader().ignore(std::numeric_limits<std::streamsize>::max());
        });
    bool found = false;
    try
    {
        found = channel.copyOut(path, pipe.writer());
    }
    catch (...)
    {
        pipe.closeWrite();
        reader.join();
        throw;
    }
    pipe.closeWrite();
    reader.join();
    if (!error.empty())
        throw Poco::WriteFileException(error);
    return found;
}

// A tar, oci or docker file: complete or not there at all.
void downloadFile(builder::BuildChannel& channel, const std::string& remote,
                  const std::string& hostDest)
{
    base::AtomicFile file(hostDest);
    streamOut(channel, remote,
              [&](std::istream& in)
              {
                  base::TarReader::read(in,
                                        [&](base::TarReader::Entry& e)
                                        {
                                            if (e.type == '0')
                                                file.copyFrom(*e.data);
                                        });
              });
    file.commit();
}

// The content of path in the builder, as the helper reported it, else through channel ("" for
// none).
std::string fileOf(builder::BuildChannel& channel, const std::string& path,
                   const ReportedFiles& reported)
{
    const auto r = reported.find(path);
    if (r != reported.end())
        return r->second.value_or("");
    std::stringstream tar;
    return channel.copyOut(path, tar) ? base::TarReader::firstFile(tar) : "";
}

} // namespace

void BuildOutputs::readMetadata(BuildSummary& summary)
{
    try
    {
        auto m = Poco::JSON::Parser().parse(summary.metadata).extract<Poco::JSON::Object::Ptr>();
        summary.digest = m->optValue<std::string>("containerimage.digest", "");
        summary.imageId = m->optValue<std::string>("containerimage.config.digest", summary.digest);
        summary.imageName = m->optValue<std::string>("image.name", "");
    }
    catch (const Poco::Exception&)
    {
        // No metadata (a cache-only build): nothing to tell.
    }
}

void BuildOutputs::addBuildxKeys(BuildSummary& summary, const std::string& builder, bool warnings)
{
    Poco::JSON::Object::Ptr m = new Poco::JSON::Object;
    try
    {
        if (!summary.metadata.empty())
            m = Poco::JSON::Parser().parse(summary.metadata).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        return; // not buildctl's JSON: left as it is
    }
    if (!summary.ref.empty())
        m->set("buildx.build.ref", builder + "/" + Poco::toLower(builder) + "0/" + summary.ref);
    if (warnings && !summary.warnings.empty())
    {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& w : summary.warnings)
            list->add(Poco::JSON::Parser().parse(w.raw));
        m->set("buildx.build.warnings", list);
    }
    std::ostringstream out;
    m->stringify(out);
    summary.metadata = out.str();
}

void BuildOutputs::download(builder::BuildChannel& channel, const BuildRequest& request,
                            const std::string& w, const ReportedFiles& reported,
                            BuildSummary& summary)
{
    // buildctl writes no metadata when no exporter answered (a cache-only build).
    summary.metadata = fileOf(channel, BuildctlArgs::metadataFile(w), reported);
    summary.ref = fileOf(channel, BuildctlArgs::refFile(w), reported);
    readMetadata(summary);
    for (std::size_t i = 0; i < request.outputs.size(); ++i)
    {
        const Output& o = request.outputs[i];
        const std::string remote = BuildctlArgs::remoteDest(o, i, w);
        if (remote.empty() || o.hostDest.empty())
            continue;
        if (o.type == OutputType::Local)
            // "dir/." makes the engine's tar hold the directory's content, not the directory.
            streamOut(channel, remote + "/.",
                      [&](std::istream& in)
                      {
                          // With the set-ID and sticky bits, as buildx's local export keeps them.
                          base::TarExtractor x(o.hostDest);
                          x.setSpecialBits(true);
                          x.extract(in);
                      });
        else
            downloadFile(channel, remote, o.hostDest);
    }
    for (std::size_t i = 0; i < request.cacheTo.size(); ++i)
    {
        const auto& c = request.cacheTo[i];
        if (c.type != CacheType::Local)
            continue;
        // index.json last: a cache export that fails half-way leaves the previous index, whose
        // blobs are all still there, never one naming blobs that were not written.
        streamOut(channel, w + "/cache-to-" + std::to_string(i) + "/.",
                  [&](std::istream& in)
                  { base::TarExtractor(c.hostDest, {"index.json"}).extract(in); });
    }
}

} // namespace hoist::buildrun
