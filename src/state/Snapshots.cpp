// This file implements saving and fetching a snapshot: the volume's tar compressed into
// chunk files (hashed as they are written), the artifact's manifest, and the checked download.

#include "state/Snapshots.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Files.h"
#include "base/Zstd.h"

#include <Poco/DigestEngine.h>
#include <Poco/DigestStream.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Timestamp.h>

#include <sstream>
#include <streambuf>
#include <sys/stat.h>

namespace hoist::state
{

namespace
{

// A blob: a file in the temporary directory with its digest and size.
struct Blob
{
    std::string path;
    std::string digest;
    std::uint64_t size = 0;
    std::string mediaType;
};

std::string privateDir()
{
    return base::makePrivateDir("state");
}

void removeDir(const std::string& dir)
{
    try
    {
        if (!dir.empty())
            Poco::File(dir).remove(true);
    }
    catch (const Poco::Exception&)
    {
    }
}

// A private directory that goes with the object.
struct TempDir
{
    std::string path = privateDir();
    ~TempDir() { removeDir(path); }
};

std::string hex(Poco::SHA2Engine& sha)
{
    return "sha256:" + Poco::DigestEngine::digestToHex(sha.digest());
}

Blob fileBlob(const std::string& path, const std::string& content, const std::string& type)
{
    Poco::FileOutputStream out(path);
    out << content;
    out.close();
    if (!out)
        throw Poco::WriteFileException("cannot write " + path);
    return {path, registry::Manifest::digestOf(content), content.size(), type};
}

// Writes what it is given into chunk files of at most limit bytes, hashing each.
class ChunkBuf : public std::streambuf
{
public:
    ChunkBuf(std::string dir, std::uint64_t limit) : _dir(std::move(dir)), _limit(limit) {}

    std::vector<Blob> finish()
    {
        close();
        return std::move(_chunks);
    }

protected:
    std::streamsize xsputn(const char* data, std::streamsize size) override
    {
        std::streamsize done = 0;
        base::Cancellation::check();
        while (done < size)
        {
            if (!_out || _chunks.back().size == _limit)
                next();
            const auto room = static_cast<std::streamsize>(_limit - _chunks.back().size);
            const std::streamsize n = std::min(room, size - done);
            _out->write(data + done, n);
            if (!*_out)
                return done;
            _sha.update(data + done, static_cast<unsigned>(n));
            _chunks.back().size += static_cast<std::uint64_t>(n);
            done += n;
        }
        return done;
    }

    int_type overflow(int_type c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }

private:
    void close()
    {
        if (!_out)
            return;
        _out->close();
        if (!*_out)
            throw Poco::WriteFileException("cannot write " + _chunks.back().path);
        _chunks.back().digest = hex(_sha);
        _out.reset();
    }

    void next()
    {
        close();
        Blob b;
        b.path = _dir + "/chunk-" + std::to_string(_chunks.size());
        b.mediaType = MediaTypes::CHUNK;
        _chunks.push_back(b);
        _sha.reset();
        _out = std::make_unique<Poco::FileOutputStream>(b.path);
    }

    std::string _dir;
    std::uint64_t _limit;
    std::vector<Blob> _chunks;
    std::unique_ptr<Poco::FileOutputStream> _out;
    Poco::SHA2Engine _sha{Poco::SHA2Engine::SHA_256};
};

// Passes a tar on, keeping count of the zero bytes it ends with: a tar copied whole ends with
// two zero blocks, one cut short (a connection dropped) does not.
class TailBuf : public std::streambuf
{
public:
    explicit TailBuf(std::ostream& to) : _to(to) {}

    bool whole() const { return _zeros >= 1024; }

protected:
    std::streamsize xsputn(const char* data, std::streamsize size) override
    {
        _to.write(data, size);
        for (std::streamsize i = 0; i < size; ++i)
            _zeros = data[i] == 0 ? _zeros + 1 : 0;
        return size;
    }

    int_type overflow(int_type c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        xsputn(&ch, 1);
        return c;
    }

private:
    std::ostream& _to;
    std::uint64_t _zeros = 0;
};

Poco::JSON::Object::Ptr descriptor(const Blob& b)
{
    Poco::JSON::Object::Ptr d = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    d->set("mediaType", b.mediaType);
    d->set("digest", b.digest);
    d->set("size", static_cast<Poco::UInt64>(b.size));
    return d;
}

std::string manifestOf(const Blob& config, const std::vector<Blob>& layers,
                       const SnapshotInfo& info)
{
    Poco::JSON::Object m(Poco::JSON_PRESERVE_KEY_ORDER);
    m.set("schemaVersion", 2);
    m.set("mediaType", "application/vnd.oci.image.manifest.v1+json");
    m.set("artifactType", MediaTypes::ARTIFACT);
    m.set("config", descriptor(config));
    Poco::JSON::Array::Ptr l = new Poco::JSON::Array;
    for (const auto& b : layers)
        l->add(descriptor(b));
    m.set("layers", l);
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    a->set("org.opencontainers.image.created", info.created);
    a->set("dev.hoist.state.run", info.run);
    m.set("annotations", a);
    std::ostringstream out;
    m.stringify(out);
    return out.str();
}

} // namespace

Moved save(Store& store, SnapshotInfo info, const std::string& attrs,
           const std::function<void(std::ostream&)>& writeTar, std::uint64_t chunkSize)
{
    Poco::Timestamp started;
    TempDir tmp;
    ChunkBuf chunks(tmp.path, chunkSize);
    std::vector<Blob> layers;
    try
    {
        std::ostream sink(&chunks);
        sink.exceptions(std::ios::badbit | std::ios::failbit);
        base::ZstdOutputStream zstd(sink, 3, 2);
        TailBuf tail(zstd);
        std::ostream tar(&tail);
        tar.exceptions(std::ios::badbit);
        writeTar(tar);
        tar.flush();
        if (!tail.whole())
            throw Poco::DataFormatException("the copy of the state ended early");
        zstd.close();
        info.bytes = zstd.bytesIn();
        layers = {fileBlob(tmp.path + "/attrs", attrs, MediaTypes::ATTRS)};
        for (auto& c : chunks.finish())
            layers.push_back(c);
    }
    catch (const std::ios_base::failure& e)
    {
        // A full disk, most likely: an error like any other, not a crash.
        throw Poco::WriteFileException(std::string("writing the snapshot in ") + tmp.path +
                                       " failed: " + e.what());
    }
    const Blob config = fileBlob(tmp.path + "/config", info.toJson(), MediaTypes::CONFIG);
    Moved moved;
    moved.raw = info.bytes;
    for (const auto& b : layers)
    {
        store.writeBlob(b.digest, static_cast<long long>(b.size), b.path);
        moved.bytes += b.size;
    }
    store.writeBlob(config.digest, static_cast<long long>(config.size), config.path);
    store.writeManifest(manifestOf(config, layers, info));
    moved.seconds = started.elapsed() / 1e6;
    return moved;
}

} // namespace hoist::state
