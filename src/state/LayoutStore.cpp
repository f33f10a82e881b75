// This file implements a snapshot kept in a directory, as an OCI image layout (oci-layout,
// index.json, blobs/sha256/…): what a CI cache (GitLab's cache:paths, actions/cache) keeps
// between jobs. index.json is the tag: written last, atomically; blobs it no longer names go.

#include "state/Store.h"

#include "base/AtomicFile.h"
#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

namespace hoist::state
{

namespace
{

const char* const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

class LayoutStore : public Store
{
public:
    explicit LayoutStore(const Location& location) : _dir(location.dir), _text(location.text) {}

    std::optional<std::string> manifest() override
    {
        const std::string index = _dir + "/index.json";
        if (!Poco::File(index).exists())
            return std::nullopt;
        try
        {
            auto root = Poco::JSON::Parser()
                            .parse(base::readFile(index))
                            .extract<Poco::JSON::Object::Ptr>();
            auto manifests = root->getArray("manifests");
            if (!manifests || manifests->size() == 0)
                return std::nullopt;
            const std::string digest = manifests->getObject(0)->getValue<std::string>("digest");
            return base::readFile(blobPath(digest));
        }
        catch (const Poco::FileException& e)
        {
            throw base::UnavailableException("cannot read " + _text + ": " + e.displayText());
        }
        catch (const Poco::Exception& e)
        {
            throw Poco::DataFormatException(_dir + "/index.json: " + e.displayText());
        }
    }

    void readBlob(const std::string& digest,
                  const std::function<void(std::istream&)>& reader) override
    {
        const std::string path = blobPath(digest);
        if (!Poco::File(path).exists())
            throw base::UnavailableException(_text + " has no blob " + digest);
        Poco::FileInputStream in(path);
        reader(in);
    }

    void writeBlob(const std::string& digest, long long, const std::string& path) override
    {
        const std::string to = blobPath(digest);
        if (Poco::File(to).exists())
            return;
        try
        {
            Poco::File(_dir + "/blobs/sha256").createDirectories();
            base::AtomicFile out(to);
            Poco::FileInputStream in(path);
            out.copyFrom(in);
            out.commit();
        }
        catch (const Poco::Exception& e)
        {
            throw base::UnavailableException("cannot write to " + _text + ": " + e.displayText());
        }
    }

    void writeManifest(const std::string& body) override
    {
        try
        {
            const std::string digest = registry::Manifest::digestOf(body);
            base::AtomicFile::put(blobPath(digest), body);
            base::AtomicFile::put(_dir + "/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
            entry.set("mediaType", MANIFEST_TYPE);
            entry.set("digest", digest);
            entry.set("size", static_cast<Poco::UInt64>(body.size()));
            entry.set("artifactType", MediaTypes::ARTIFACT);
            Poco::JSON::Array::Ptr manifests = new Poco::JSON::Array;
            manifests->add(entry);
            Poco::JSON::Object index(Poco::JSON_PRESERVE_KEY_ORDER);
            index.set("schemaVersion", 2);
            index.set("mediaType", "application/vnd.oci.image.index.v1+json");
            index.set("manifests", manifests);
            std::ostringstream out;
            index.stringify(out);
            base::AtomicFile::put(_dir + "/index.json", out.str());
            collect(body, digest);
        }
        catch (const Poco::Exception& e)
        {
            throw base::UnavailableException("cannot write to " + _text + ": " + e.displayText());
        }
    }

    std::string describe() const override { return _dir; }

private:
    std::string blobPath(const std::string& digest) const
    {
        if (!base::startsWith(digest, "sha256:") || digest.find('/') != std::string::npos)
            throw Poco::DataFormatException("not a sha256 digest: " + digest);
        return _dir + "/blobs/sha256/" + digest.substr(7);
    }

    // Removes the blobs the new manifest does not name: the previous snapshot's.
    void collect(const std::string& body, const std::string& digest)
    {
        std::set<std::string> keep = {digest.substr(7)};
        auto m = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        keep.insert(m->getObject("config")->getValue<std::string>("digest").substr(7));
        auto layers = m->getArray("layers");
        for (std::size_t i = 0; layers && i < layers->size(); ++i)
            keep.insert(layers->getObject(i)->getValue<std::string>("digest").substr(7));
        for (Poco::DirectoryIterator it(_dir + "/blobs/sha256"), end; it != end; ++it)
        {
            if (!keep.count(it.name()))
                it->remove();
        }
    }

    std::string _dir;
    std::string _text;
};

} // namespace

std::unique_ptr<Store> newLayoutStore(const Location& location)
{
    return std::make_unique<LayoutStore>(location);
}

} // namespace hoist::state
