// This file implements joining OCI archives: each part's index.json and small blobs read, the
// joined image index made, then every blob copied once with the new index beside them, into
// an archive or a directory.

#include "registry/OciArchive.h"

#include "base/AtomicFile.h"
#include "base/Digest.h"
#include "base/Strings.h"
#include "base/TarReader.h"
#include "base/TarWriter.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace hoist::registry
{

namespace
{

const char* INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

// What a part's index.json and its small blobs (indexes, manifests) say.
struct PartIndex
{
    Poco::JSON::Object::Ptr top;              // index.json's one descriptor
    std::map<std::string, std::string> small; // blob path → content, for blobs ≤ 1 MiB
};

PartIndex readPart(const std::string& path)
{
    PartIndex p;
    Poco::FileInputStream in(path);
    base::TarReader::read(
        in,
        [&](base::TarReader::Entry& e)
        {
            if (e.type != '0' || e.size > (1 << 20))
                return;
            std::string content(static_cast<std::size_t>(e.size), '\0');
            e.data->read(content.data(), static_cast<std::streamsize>(e.size));
            if (e.name == "index.json")
            {
                auto index = Poco::JSON::Parser().parse(content).extract<Poco::JSON::Object::Ptr>();
                auto list = index->getArray("manifests");
                if (!list || list->size() != 1)
                    throw Poco::DataFormatException(path + ": index.json does not hold one image");
                p.top = list->getObject(0);
            }
            else if (base::startsWith(e.name, "blobs/"))
                p.small[e.name] = content;
        });
    if (!p.top)
        throw Poco::DataFormatException(path + " is not an OCI archive: no index.json");
    return p;
}

// The part's descriptors for the joined index: its image index's manifests, or its one
// manifest with the part's platform.
void descriptors(const OciPart& part, const PartIndex& p, Poco::JSON::Array& out)
{
    const std::string digest = p.top->getValue<std::string>("digest");
    if (p.top->optValue<std::string>("mediaType", "") != INDEX_TYPE)
    {
        Poco::JSON::Object::Ptr d = new Poco::JSON::Object(*p.top);
        d->remove("annotations");
        const auto parts = base::split(part.platforms.empty() ? "" : part.platforms.front(), '/');
        if (parts.size() >= 2)
        {
            Poco::JSON::Object::Ptr platform = new Poco::JSON::Object;
            platform->set("architecture", parts[1]);
            platform->set("os", parts[0]);
            if (parts.size() > 2)
                platform->set("variant", parts[2]);
            d->set("platform", platform);
        }
        out.add(d);
        return;
    }
    const auto blob =
        p.small.find("blobs/" + base::split(digest, ':')[0] + "/" + base::split(digest, ':')[1]);
    if (blob == p.small.end())
        throw Poco::DataFormatException(part.path + ": the image index " + digest + " is missing");
    auto index = Poco::JSON::Parser().parse(blob->second).extract<Poco::JSON::Object::Ptr>();
    if (auto list = index->getArray("manifests"))
    {
        for (std::size_t i = 0; i < list->size(); ++i)
            out.add(list->get(static_cast<unsigned>(i)));
    }
}

std::string compact(const Poco::JSON::Object& o)
{
    std::ostringstream s;
    o.stringify(s);
    return s.str();
}

// The joined layout as a tar, put in place whole when done.
class TarSink
{
public:
    explicit TarSink(const std::string& dest)
        : _dest(dest), _tmp(Poco::Path(dest).parent().toString()), _out(_tmp.path()), _w(_out)
    {
    }

    void add(const std::string& name, const std::string& content)
    {
        _w.addFile(entry(name), content);
    }

    void add(const std::string& name, std::uint64_t size, std::istream& data)
    {
        _w.addFile(entry(name), size, data);
    }

    void finish()
    {
        _w.finish();
        _out.close();
        _tmp.renameTo(_dest);
        _tmp.keep();
    }

private:
    static base::TarWriter::Entry entry(const std::string& name)
    {
        base::TarWriter::Entry e;
        e.name = name;
        return e;
    }

    std::string _dest;
    Poco::TemporaryFile _tmp;
    Poco::FileOutputStream _out;
    base::TarWriter _w;
};

// The joined layout as a directory (tar=false): the blobs first, index.json last, each file
// written whole or not at all.
class DirSink
{
public:
    explicit DirSink(const std::string& dest) : _dest(dest) {}

    void add(const std::string& name, const std::string& content)
    {
        std::istringstream in(content);
        add(name, content.size(), in);
    }

    void add(const std::string& name, std::uint64_t size, std::istream& data)
    {
        if (name == "index.json")
        {
            _index = std::string(static_cast<std::size_t>(size), '\0');
            data.read(_index.data(), static_cast<std::streamsize>(size));
            return;
        }
        const Poco::Path path(_dest + "/" + name);
        Poco::File(path.parent()).createDirectories();
        base::AtomicFile f(path.toString());
        std::vector<char> buffer(64 * 1024);
        for (std::uint64_t left = size; left > 0;)
        {
            const auto n =
                static_cast<std::streamsize>(std::min<std::uint64_t>(left, buffer.size()));
            if (!data.read(buffer.data(), n))
                throw Poco::ReadFileException(name + " ends early");
            f.write(buffer.data(), static_cast<std::size_t>(n));
            left -= static_cast<std::uint64_t>(n);
        }
        f.commit();
    }

    void finish()
    {
        base::AtomicFile f(_dest + "/index.json");
        f.write(_index.data(), _index.size());
        f.commit();
    }

private:
    std::string _dest;
    std::string _index;
};

// The joined index, index.json pointing at it with the first part's annotations, the blobs of
// every part once, written to sink.
template <class Sink>
void writeJoined(const std::vector<OciPart>& parts, const Poco::JSON::Array& manifests,
                 const Poco::JSON::Object::Ptr& firstTop, Sink& sink)
{
    Poco::JSON::Object index(Poco::JSON_PRESERVE_KEY_ORDER);
    index.set("schemaVersion", 2);
    index.set("mediaType", INDEX_TYPE);
    index.set("manifests", manifests);
    const std::string indexBytes = compact(index);
    const std::string indexHex = base::sha256Hex(indexBytes);

    Poco::JSON::Object top(Poco::JSON_PRESERVE_KEY_ORDER);
    top.set("mediaType", INDEX_TYPE);
    top.set("digest", "sha256:" + indexHex);
    top.set("size", static_cast<Poco::UInt64>(indexBytes.size()));
    if (firstTop && firstTop->has("annotations"))
        top.set("annotations", firstTop->get("annotations"));
    Poco::JSON::Array tops;
    tops.add(top);
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("schemaVersion", 2);
    root.set("mediaType", INDEX_TYPE);
    root.set("manifests", tops);

    sink.add("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    sink.add("index.json", compact(root));
    std::set<std::string> written = {"blobs/sha256/" + indexHex};
    sink.add("blobs/sha256/" + indexHex, indexBytes);
    for (const auto& part : parts)
    {
        Poco::FileInputStream in(part.path);
        base::TarReader::read(in,
                              [&](base::TarReader::Entry& e)
                              {
                                  if (e.type == '0' && base::startsWith(e.name, "blobs/") &&
                                      written.insert(e.name).second)
                                      sink.add(e.name, e.size, *e.data);
                              });
    }
    sink.finish();
}

} // namespace

void OciArchive::join(const std::vector<OciPart>& parts, const std::string& dest, Layout layout)
{
    Poco::JSON::Array manifests;
    Poco::JSON::Object::Ptr firstTop;
    for (const auto& part : parts)
    {
        const PartIndex p = readPart(part.path);
        if (!firstTop)
            firstTop = p.top;
        descriptors(part, p, manifests);
    }
    if (layout == Layout::Directory)
    {
        DirSink sink(dest);
        writeJoined(parts, manifests, firstTop, sink);
        return;
    }
    TarSink sink(dest);
    writeJoined(parts, manifests, firstTop, sink);
}

} // namespace hoist::registry
