// This file implements the merged multi-platform index, as `docker buildx imagetools create`
// makes it: the sources' indexes flattened, each platform once, attestations kept with the
// images they describe.

#include "registry/Index.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include <set>
#include <sstream>

namespace hoist::registry
{

namespace
{

const char* const REFERENCE_TYPE = "vnd.docker.reference.type";
const char* const REFERENCE_DIGEST = "vnd.docker.reference.digest";

std::string stringify(const Poco::JSON::Object::Ptr& o)
{
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

// os/arch[/variant] as BuildKit normalises it (arm64/v8 is arm64), with the OS version where
// one is given (Windows images of two versions are two platforms).
std::string platformOf(const Poco::JSON::Object::Ptr& p)
{
    if (!p)
        return "";
    const std::string arch = p->optValue<std::string>("architecture", "");
    std::string s = p->optValue<std::string>("os", "") + "/" + arch;
    const std::string variant = p->optValue<std::string>("variant", "");
    if (!variant.empty() && !(arch == "arm64" && variant == "v8"))
        s += "/" + variant;
    const std::string version = p->optValue<std::string>("os.version", "");
    return version.empty() ? s : s + " (" + version + ")";
}

// The entries of an index source: its images and attestations as they are listed.
void fromIndex(const SourceImage& s, std::vector<IndexEntry>& out)
{
    auto index = Poco::JSON::Parser().parse(s.manifest.body).extract<Poco::JSON::Object::Ptr>();
    auto list = index->getArray("manifests");
    for (std::size_t i = 0; list && i < list->size(); ++i)
    {
        auto d = list->getObject(static_cast<unsigned>(i));
        IndexEntry e;
        e.descriptor = stringify(d);
        e.digest = d->optValue<std::string>("digest", "");
        e.mediaType = d->optValue<std::string>("mediaType", "");
        auto a = d->getObject("annotations");
        if (a && a->optValue<std::string>(REFERENCE_TYPE, "") == "attestation-manifest")
            e.attestsTo = a->optValue<std::string>(REFERENCE_DIGEST, "");
        else
            e.platform = platformOf(d->getObject("platform"));
        e.from = &s;
        out.push_back(e);
    }
}

// The entry of an image source: a descriptor with the platform its config gave.
IndexEntry fromImage(const SourceImage& s)
{
    Poco::JSON::Object::Ptr d = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    d->set("mediaType", s.manifest.mediaType);
    d->set("digest", s.manifest.digest);
    d->set("size", static_cast<Poco::Int64>(s.manifest.body.size()));
    Poco::JSON::Object::Ptr p = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    p->set("architecture", s.architecture);
    p->set("os", s.os);
    if (!s.variant.empty())
        p->set("variant", s.variant);
    d->set("platform", p);
    IndexEntry e;
    e.descriptor = stringify(d);
    e.digest = s.manifest.digest;
    e.mediaType = s.manifest.mediaType;
    e.platform = platformOf(p);
    e.from = &s;
    return e;
}

} // namespace

const char* const Index::MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

bool Index::isIndex(const std::string& mediaType)
{
    return mediaType == "application/vnd.oci.image.index.v1+json" ||
           mediaType == "application/vnd.docker.distribution.manifest.list.v2+json";
}

Index Index::merge(const std::vector<SourceImage>& sources, const IndexSpec& spec,
                   base::Problems& problems)
{
    std::vector<IndexEntry> all;
    for (const auto& s : sources)
    {
        if (isIndex(s.manifest.mediaType))
            fromIndex(s, all);
        else if (!s.os.empty())
            all.push_back(fromImage(s));
        else
            problems.push_back(base::Problem{
                "", s.name + " is neither an image nor an index (" + s.manifest.mediaType + ")",
                ""});
    }
    Index index;
    if (sources.size() == 1 && isIndex(sources[0].manifest.mediaType) && spec.platforms.empty() &&
        spec.annotations.empty() && spec.descriptorAnnotations.empty())
    {
        // One index, nothing to add or leave out: pushed as it is, digest and annotations kept
        // (buildx).
        index._manifest = sources[0].manifest;
        index._entries = all;
        return index;
    }
    index.pickImages(all, spec.platforms, problems);
    if (index.images() == 0 && !sources.empty())
        problems.push_back(base::Problem{"",
                                         spec.platforms.empty()
                                             ? "the sources hold no image to merge"
                                             : "the sources hold none of the platforms asked for",
                                         ""});
    index.pickAttestations(all);
    index.annotateDescriptors(spec.descriptorAnnotations);
    index.write(spec.annotations);
    return index;
}

void Index::pickImages(const std::vector<IndexEntry>& all,
                       const std::vector<std::string>& platforms, base::Problems& problems)
{
    std::map<std::string, const IndexEntry*> byPlatform;
    for (const auto& e : all)
    {
        if (!e.attestsTo.empty() || _images.count(e.digest))
            continue; // an attestation (pickAttestations), or the same image given twice
        if (e.platform.empty())
        {
            _images.insert(e.digest); // no platform said: kept as it is, as buildx keeps it
            _entries.push_back(e);
            continue;
        }
        if (!platforms.empty() &&
            std::find(platforms.begin(), platforms.end(), e.platform) == platforms.end())
            continue; // left out, as imagetools create --platform leaves it
        auto [it, fresh] = byPlatform.emplace(e.platform, &e);
        if (!fresh)
        {
            problems.push_back(base::Problem{"",
                                             "the platform " + e.platform + " is in both " +
                                                 it->second->from->name + " and " + e.from->name +
                                                 ": give each platform once",
                                             ""});
            continue;
        }
        _images.insert(e.digest);
        _entries.push_back(e);
    }
}

std::size_t Index::images() const
{
    return _images.size();
}

void Index::pickAttestations(const std::vector<IndexEntry>& all)
{
    std::set<std::string> attestations;
    for (const auto& e : all)
    {
        if (!e.attestsTo.empty() && _images.count(e.attestsTo) &&
            attestations.insert(e.digest).second)
            _entries.push_back(e);
    }
}

void Index::annotateDescriptors(const DescriptorAnnotations& annotations)
{
    for (auto& e : _entries)
    {
        // As buildx: annotations without a platform go on every descriptor, attestations' too.
        std::vector<const std::map<std::string, std::string>*> apply;
        for (const std::string& platform : {std::string(), e.platform})
        {
            auto it = annotations.find(platform);
            if (it != annotations.end() && (platform.empty() || !e.platform.empty()))
                apply.push_back(&it->second);
        }
        if (apply.empty())
            continue;
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        auto d = parser.parse(e.descriptor).extract<Poco::JSON::Object::Ptr>();
        Poco::JSON::Object::Ptr a = d->getObject("annotations");
        if (!a)
            a = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto* kv : apply)
            for (const auto& [k, v] : *kv)
                a->set(k, v);
        d->set("annotations", a);
        e.descriptor = stringify(d);
    }
}

void Index::write(const std::map<std::string, std::string>& annotations)
{
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    root->set("schemaVersion", 2);
    root->set("mediaType", MEDIA_TYPE);
    Poco::JSON::Array::Ptr manifests = new Poco::JSON::Array;
    for (const auto& e : _entries)
        manifests->add(Poco::JSON::Parser().parse(e.descriptor));
    root->set("manifests", manifests);
    if (!annotations.empty())
    {
        Poco::JSON::Object::Ptr a = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [k, v] : annotations)
            a->set(k, v);
        root->set("annotations", a);
    }
    const std::string body = stringify(root);
    _manifest = {MEDIA_TYPE, Manifest::digestOf(body), body};
}

const Manifest& Index::manifest() const
{
    return _manifest;
}

const std::vector<IndexEntry>& Index::entries() const
{
    return _entries;
}

std::vector<std::string> Index::platforms() const
{
    std::vector<std::string> out;
    for (const auto& e : _entries)
    {
        if (!e.platform.empty())
            out.push_back(e.platform);
    }
    return out;
}

} // namespace hoist::registry
