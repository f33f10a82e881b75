// This file implements the merge's registry work: each source's manifest and platform read,
// and the index pushed to each tag after its manifests and blobs are copied or mounted there.

#include "registry/Merger.h"

#include "base/Error.h"
#include "engine/ImageRef.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace hoist::registry
{

namespace
{

struct Blob
{
    std::string digest;
    long long size = 0;
};

// The blobs a manifest names: its config and its layers.
std::vector<Blob> blobsOf(const std::string& body)
{
    std::vector<Blob> out;
    auto m = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    auto add = [&](const Poco::JSON::Object::Ptr& d)
    {
        if (d && d->has("digest"))
            out.push_back(
                {d->getValue<std::string>("digest"), d->optValue<Poco::Int64>("size", 0)});
    };
    add(m->getObject("config"));
    auto layers = m->getArray("layers");
    for (std::size_t i = 0; layers && i < layers->size(); ++i)
        add(layers->getObject(static_cast<unsigned>(i)));
    return out;
}

} // namespace

Merger::Merger(RegistryClient::LoginFor login, RegistryHosts hosts, Note note)
    : _login(std::move(login)), _hosts(std::move(hosts)), _note(std::move(note))
{
}

Merger::~Merger() = default;

RegistryClient& Merger::client(const std::string& host)
{
    auto& c = _clients[host];
    if (!c)
        c = std::make_unique<RegistryClient>(host, _hosts.of(host), _login);
    return *c;
}

std::vector<SourceImage> Merger::read(const std::vector<std::string>& references,
                                      base::Problems& problems)
{
    std::vector<SourceImage> out;
    for (const auto& ref : references)
    {
        const engine::ImageRef r = engine::ImageRef::parse(ref);
        const std::string reference = r.digest.empty() ? r.tag : r.digest;
        auto m = client(r.registry).manifest(r.repository, reference);
        if (!m)
        {
            problems.push_back(
                base::Problem{"",
                              "the source " + ref + " is not in its registry (no manifest " +
                                  r.repository + ":" + reference + " at " + r.registry + ")",
                              ""});
            continue;
        }
        SourceImage s{ref, r.registry, r.repository, *m, "", "", ""};
        if (!Index::isIndex(m->mediaType))
        {
            // An image: its platform is in its config.
            auto manifest = Poco::JSON::Parser().parse(m->body).extract<Poco::JSON::Object::Ptr>();
            auto config = manifest->getObject("config");
            if (config)
            {
                auto c =
                    Poco::JSON::Parser()
                        .parse(client(r.registry)
                                   .blob(r.repository, config->getValue<std::string>("digest")))
                        .extract<Poco::JSON::Object::Ptr>();
                s.os = c->optValue<std::string>("os", "");
                s.architecture = c->optValue<std::string>("architecture", "");
                s.variant = c->optValue<std::string>("variant", "");
            }
        }
        out.push_back(s);
    }
    return out;
}

void Merger::copyInto(const IndexEntry& entry, const std::string& host,
                      const std::string& repository)
{
    const SourceImage& from = *entry.from;
    RegistryClient& source = client(from.host);
    RegistryClient& target = client(host);
    Manifest child = from.manifest.digest == entry.digest
                         ? from.manifest
                         : source.manifest(from.repository, entry.digest).value_or(Manifest{});
    if (child.body.empty())
        throw base::UnavailableException("the registry " + from.host + " no longer has " +
                                         from.repository + "@" + entry.digest);
    child.mediaType = entry.mediaType.empty() ? child.mediaType : entry.mediaType;
    for (const auto& b : blobsOf(child.body))
    {
        if (target.hasBlob(repository, b.digest))
            continue;
        if (from.host == host && target.mountBlob(repository, b.digest, from.repository))
            continue;
        target.copyBlob(source, from.repository, repository, b.digest, b.size);
    }
    target.putManifest(repository, entry.digest, child);
}

std::string Merger::push(const Index& index, const std::vector<std::string>& tags)
{
    for (const auto& tag : tags)
    {
        const engine::ImageRef t = engine::ImageRef::parse(tag);
        std::size_t copied = 0;
        for (const auto& e : index.entries())
        {
            if (e.from->host == t.registry && e.from->repository == t.repository)
                continue;
            copyInto(e, t.registry, t.repository);
            ++copied;
        }
        if (copied > 0)
            _note("copied " + std::to_string(copied) + " manifests and their blobs into " +
                  t.registry + "/" + t.repository);
        client(t.registry).putManifest(t.repository, t.tag, index.manifest());
        _note("pushed " + tag + " (" + index.manifest().digest + ")");
    }
    return index.manifest().digest;
}

} // namespace hoist::registry
