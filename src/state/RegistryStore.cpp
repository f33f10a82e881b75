// This file implements a snapshot kept in a registry: an OCI artifact under a tag.

#include "state/Store.h"

#include "base/Error.h"
#include "engine/ImageRef.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

namespace hoist::state
{

namespace
{

const char* const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

class RegistryStore : public Store
{
public:
    RegistryStore(const Location& location, const registry::RegistryClient::LoginFor& login,
                  registry::Access access)
        : _ref(engine::ImageRef::parse(location.ref)),
          _text(location.text),
          _client(_ref.registry, access, login)
    {
    }

    std::optional<std::string> manifest() override
    {
        auto m = _client.manifest(_ref.repository, tag());
        if (!m)
            return std::nullopt;
        return m->body;
    }

    void readBlob(const std::string& digest,
                  const std::function<void(std::istream&)>& read) override
    {
        _client.readBlob(_ref.repository, digest, read);
    }

    void writeBlob(const std::string& digest, long long size, const std::string& path) override
    {
        _client.putBlob(_ref.repository, digest, size,
                        [&](std::ostream& out)
                        {
                            Poco::FileInputStream in(path);
                            Poco::StreamCopier::copyStream64(in, out);
                        });
    }

    void writeManifest(const std::string& body) override
    {
        registry::Manifest m;
        m.mediaType = MANIFEST_TYPE;
        m.body = body;
        _client.putManifest(_ref.repository, tag(), m);
    }

    std::string describe() const override
    {
        return _ref.registry + "/" + _ref.repository + ":" + tag();
    }

private:
    std::string tag() const { return _ref.tag.empty() ? "latest" : _ref.tag; }

    engine::ImageRef _ref;
    std::string _text;
    registry::RegistryClient _client;
};

} // namespace

std::unique_ptr<Store> newLayoutStore(const Location& location);

std::unique_ptr<Store> Store::open(const Location& location,
                                   const registry::RegistryClient::LoginFor& login,
                                   const registry::RegistryHosts& hosts)
{
    if (location.kind == Location::Kind::Local)
        return newLayoutStore(location);
    const engine::ImageRef ref = engine::ImageRef::parse(location.ref);
    return std::make_unique<RegistryStore>(location, login, hosts.of(ref.registry));
}

} // namespace hoist::state
