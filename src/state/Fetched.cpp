// This file implements fetching a snapshot: its manifest checked for the artifact's types, its
// blobs downloaded with their digests and sizes checked, the chunks joined into one file.

#include "state/Snapshots.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Files.h"
#include "base/Zstd.h"

#include <Poco/DigestEngine.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Timestamp.h>

#include <sys/stat.h>

namespace hoist::state
{

namespace
{

struct Descriptor
{
    std::string mediaType;
    std::string digest;
    std::uint64_t size = 0;
};

Descriptor descriptorOf(const Poco::JSON::Object::Ptr& o)
{
    if (!o)
        throw Poco::DataFormatException("a descriptor is missing");
    return {o->getValue<std::string>("mediaType"), o->getValue<std::string>("digest"),
            o->getValue<Poco::UInt64>("size")};
}

// Copies blob d of store to out, checking its size and digest.
void download(Store& store, const Descriptor& d, std::ostream& out)
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    std::uint64_t got = 0;
    store.readBlob(d.digest,
                   [&](std::istream& in)
                   {
                       char buf[64 * 1024];
                       while (in.read(buf, sizeof buf) || in.gcount() > 0)
                       {
                           base::Cancellation::check();
                           const auto n = static_cast<std::size_t>(in.gcount());
                           sha.update(buf, static_cast<unsigned>(n));
                           out.write(buf, static_cast<std::streamsize>(n));
                           got += n;
                       }
                   });
    if (!out)
        throw base::UnavailableException("cannot write the snapshot to a temporary file");
    const std::string digest = "sha256:" + Poco::DigestEngine::digestToHex(sha.digest());
    if (got != d.size || digest != d.digest)
        throw Poco::DataFormatException("the blob " + d.digest + " is damaged (" +
                                        std::to_string(got) + " bytes of " +
                                        std::to_string(d.size) + ", digest " + digest + ")");
}

std::string downloadText(Store& store, const Descriptor& d)
{
    if (d.size > (16u << 20))
        throw Poco::DataFormatException("the blob " + d.digest + " is too large");
    std::ostringstream out;
    download(store, d, out);
    return out.str();
}

} // namespace

Fetched::Fetched() = default;

Fetched::~Fetched()
{
    try
    {
        if (!_dir.empty())
            Poco::File(_dir).remove(true);
    }
    catch (const Poco::Exception&)
    {
    }
}

std::unique_ptr<Fetched> Fetched::fetch(Store& store, const Fits& fits)
{
    Poco::Timestamp started;
    const std::optional<std::string> body = store.manifest();
    if (!body)
        return nullptr;
    std::unique_ptr<Fetched> f(new Fetched);
    Poco::JSON::Object::Ptr m;
    try
    {
        m = Poco::JSON::Parser().parse(*body).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::DataFormatException("its manifest is not JSON: " + e.displayText());
    }
    const Descriptor config = descriptorOf(m->getObject("config"));
    if (config.mediaType != MediaTypes::CONFIG)
        throw Poco::DataFormatException("it is not a hoist state snapshot (config " +
                                        config.mediaType + ")");
    f->_info = SnapshotInfo::fromJson(downloadText(store, config));
    if (fits)
    {
        const std::string why = fits(f->_info);
        if (!why.empty())
            throw Poco::DataFormatException("it does not fit this builder: " + why);
    }
    f->_dir = base::makePrivateDir("state");
    Poco::FileOutputStream tar(f->_dir + "/state.tar.zst");
    auto layers = m->getArray("layers");
    for (std::size_t i = 0; layers && i < layers->size(); ++i)
    {
        const Descriptor d = descriptorOf(layers->getObject(i));
        if (d.mediaType == MediaTypes::ATTRS)
            f->_attrs = downloadText(store, d);
        else if (d.mediaType == MediaTypes::CHUNK)
            download(store, d, tar);
        else
            throw Poco::DataFormatException("it holds a layer of an unknown type, " + d.mediaType);
        f->_moved.bytes += d.size;
    }
    tar.close();
    if (!tar)
        throw base::UnavailableException("cannot write the snapshot to " + f->_dir);
    f->_moved.raw = f->_info.bytes;
    f->_moved.seconds = started.elapsed() / 1e6;
    return f;
}

const SnapshotInfo& Fetched::info() const
{
    return _info;
}

const std::string& Fetched::attrs() const
{
    return _attrs;
}

const Moved& Fetched::moved() const
{
    return _moved;
}

void Fetched::writeTar(std::ostream& out) const
{
    Poco::FileInputStream in(_dir + "/state.tar.zst");
    base::ZstdInputStream tar(in);
    std::uint64_t copied = 0;
    char buf[64 * 1024];
    while (tar.read(buf, sizeof buf) || tar.gcount() > 0)
    {
        base::Cancellation::check();
        out.write(buf, tar.gcount());
        if (!out)
            throw base::UnavailableException("the engine stopped reading the state");
        copied += static_cast<std::uint64_t>(tar.gcount());
    }
    if (copied != _info.bytes)
        throw Poco::DataFormatException("the snapshot's tar holds " + std::to_string(copied) +
                                        " bytes, its config says " + std::to_string(_info.bytes));
}

} // namespace hoist::state
