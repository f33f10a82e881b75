// This file implements buildx's builder store as buildx writes it: a builder's instance and
// activity files, the current builder, the build node identifier, and removal, each under the
// store's flock.

#include "builder/BuildxStore.h"

#include "base/AtomicFile.h"
#include "base/Base64.h"
#include "base/Strings.h"
#include "builder/DriverDefaults.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RandomStream.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

namespace hoist::builder
{

namespace
{

// Holds buildx's exclusive flock on <store>/.lock for a scope.
class StoreLock
{
public:
    explicit StoreLock(const std::string& dir)
    {
        Poco::File(dir).createDirectories();
        _fd = ::open((dir + "/.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (_fd < 0 || ::flock(_fd, LOCK_EX) != 0)
            throw Poco::FileException("cannot lock the buildx store", dir + "/.lock");
    }
    ~StoreLock()
    {
        if (_fd >= 0)
        {
            ::flock(_fd, LOCK_UN);
            ::close(_fd);
        }
    }

private:
    int _fd = -1;
};

// hoist's field in a remote builder's instance: the client image, when not the default.
const char* const CLIENT_IMAGE = "HoistClientImage";

// buildx's store files are private to the user: 0600, as buildx writes them.
void writeAtomically(const std::string& path, const std::string& content)
{
    base::AtomicFile::put(path, content, 0600);
}

} // namespace

BuildxStore::BuildxStore(std::string dir) : _dir(std::move(dir)) {}

const std::string& BuildxStore::dir() const
{
    return _dir;
}

std::string BuildxStore::nodeIdentifier() const
{
    const std::string path = _dir + "/.buildNodeID";
    try
    {
        StoreLock lock(_dir);
        if (!Poco::File(path).exists())
        {
            Poco::RandomInputStream random;
            char id[17];
            for (int i = 0; i < 8; ++i)
                std::snprintf(id + 2 * i, 3, "%02x", static_cast<unsigned>(random.get()) & 0xffU);
            writeAtomically(path, id);
        }
        Poco::FileInputStream in(path);
        std::string id;
        std::getline(in, id);
        return id;
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}

void BuildxStore::saveRemote(const RemoteSpec& spec) const
{
    Poco::JSON::Object node(Poco::JSON_PRESERVE_KEY_ORDER);
    node.set("Name", Poco::toLower(spec.name) + "0");
    node.set("Endpoint", spec.endpoint);
    node.set("Platforms", Poco::Dynamic::Var());
    Poco::JSON::Object opts;
    for (const auto& [k, v] : spec.driverOpts())
        opts.set(k, v);
    node.set("DriverOpts", opts);
    node.set("Flags", Poco::Dynamic::Var());
    node.set("Files", Poco::Dynamic::Var());
    Poco::JSON::Object group(Poco::JSON_PRESERVE_KEY_ORDER);
    group.set("Name", spec.name);
    group.set("Driver", "remote");
    Poco::JSON::Array nodes;
    nodes.add(node);
    group.set("Nodes", nodes);
    group.set("Dynamic", false);
    if (spec.clientImage != DEFAULT_BUILDKIT_IMAGE)
        group.set(CLIENT_IMAGE, spec.clientImage);
    std::ostringstream json;
    group.stringify(json);
    write(spec.name, json.str());
}

std::optional<RemoteSpec> BuildxStore::remote(const std::string& name) const
{
    const std::string path = _dir + "/instances/" + Poco::toLower(name);
    try
    {
        if (!Poco::File(path).exists())
            return std::nullopt;
        Poco::FileInputStream in(path);
        Poco::JSON::Object::Ptr group =
            Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        Poco::JSON::Array::Ptr nodes = group->getArray("Nodes");
        if (group->optValue<std::string>("Driver", "") != "remote" || !nodes || nodes->size() == 0)
            return std::nullopt;
        Poco::JSON::Object::Ptr node = nodes->getObject(0);
        RemoteSpec spec;
        spec.name = group->optValue<std::string>("Name", name);
        spec.endpoint = node->optValue<std::string>("Endpoint", "");
        spec.clientImage = group->optValue<std::string>(CLIENT_IMAGE, DEFAULT_BUILDKIT_IMAGE);
        if (Poco::JSON::Object::Ptr opts = node->getObject("DriverOpts"))
        {
            spec.cacert = opts->optValue<std::string>("cacert", "");
            spec.cert = opts->optValue<std::string>("cert", "");
            spec.key = opts->optValue<std::string>("key", "");
            spec.serverName = opts->optValue<std::string>("servername", "");
            spec.defaultLoad = opts->optValue<std::string>("default-load", "");
        }
        return spec;
    }
    catch (const Poco::Exception&)
    {
        return std::nullopt; // not buildx's form: not a remote builder hoist can use
    }
}

void BuildxStore::write(const std::string& name, const std::string& json) const
{
    StoreLock lock(_dir);
    Poco::File(_dir + "/instances").createDirectories();
    Poco::File(_dir + "/activity").createDirectories();
    writeAtomically(_dir + "/instances/" + Poco::toLower(name), json);
    writeAtomically(_dir + "/activity/" + name,
                    Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ"));
}

namespace
{

// A platform as buildx stores it (an OCI platform object).
Poco::JSON::Object platformJson(const std::string& platform)
{
    Poco::JSON::Object p(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto parts = base::split(platform, '/');
    p.set("architecture", parts.size() > 1 ? parts[1] : "");
    p.set("os", parts[0]);
    if (parts.size() > 2)
        p.set("variant", parts[2]);
    return p;
}

// One node of a docker-container builder as buildx stores it.
Poco::JSON::Object nodeJson(const BuildxStore::Node& n)
{
    const BuilderSpec& spec = n.spec;
    Poco::JSON::Object node(Poco::JSON_PRESERVE_KEY_ORDER);
    node.set("Name", spec.nodeName());
    node.set("Endpoint", n.endpoint);
    if (n.platforms.empty())
        node.set("Platforms", Poco::Dynamic::Var());
    else
    {
        Poco::JSON::Array platforms;
        for (const auto& p : n.platforms)
            platforms.add(platformJson(p));
        node.set("Platforms", platforms);
    }
    if (spec.opts.raw.empty())
        node.set("DriverOpts", Poco::Dynamic::Var());
    else
    {
        Poco::JSON::Object opts;
        for (const auto& [k, v] : spec.opts.raw)
            opts.set(k, v);
        node.set("DriverOpts", opts);
    }
    if (spec.flags.empty())
        node.set("Flags", Poco::Dynamic::Var());
    else
    {
        Poco::JSON::Array flags;
        for (const auto& f : spec.flags)
            flags.add(f);
        node.set("Flags", flags);
    }
    // Only the buildkitd config and its certificates: buildx does not store provenance files.
    if (spec.config.files().empty())
        node.set("Files", Poco::Dynamic::Var());
    else
    {
        Poco::JSON::Object files;
        for (const auto& [path, content] : spec.config.files())
            files.set(path, base::toBase64(content));
        node.set("Files", files);
    }
    return node;
}

} // namespace

void BuildxStore::save(const BuilderSpec& spec, const std::string& endpoint) const
{
    saveNodes(spec.name, {{spec, endpoint, {}}});
}

void BuildxStore::saveNodes(const std::string& name, const std::vector<Node>& nodes) const
{
    Poco::JSON::Object group(Poco::JSON_PRESERVE_KEY_ORDER);
    group.set("Name", name);
    group.set("Driver", "docker-container");
    Poco::JSON::Array list;
    for (const auto& n : nodes)
        list.add(nodeJson(n));
    group.set("Nodes", list);
    group.set("Dynamic", false);
    std::ostringstream json;
    group.stringify(json);
    write(name, json.str());
}

std::vector<BuildxStore::StoredNode> BuildxStore::nodes(const std::string& name) const
{
    std::vector<StoredNode> out;
    const std::string path = _dir + "/instances/" + Poco::toLower(name);
    try
    {
        if (!Poco::File(path).exists())
            return out;
        Poco::FileInputStream in(path);
        Poco::JSON::Object::Ptr group =
            Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        Poco::JSON::Array::Ptr list = group->getArray("Nodes");
        if (group->optValue<std::string>("Driver", "") != "docker-container" || !list)
            return out;
        for (std::size_t i = 0; i < list->size(); ++i)
        {
            Poco::JSON::Object::Ptr node = list->getObject(static_cast<unsigned>(i));
            StoredNode n;
            n.name = node->optValue<std::string>("Name", "");
            n.endpoint = node->optValue<std::string>("Endpoint", "");
            if (Poco::JSON::Array::Ptr platforms = node->getArray("Platforms"))
            {
                for (std::size_t j = 0; j < platforms->size(); ++j)
                {
                    Poco::JSON::Object::Ptr p = platforms->getObject(static_cast<unsigned>(j));
                    const std::string variant = p->optValue<std::string>("variant", "");
                    n.platforms.push_back(p->optValue<std::string>("os", "linux") + "/" +
                                          p->optValue<std::string>("architecture", "") +
                                          (variant.empty() ? "" : "/" + variant));
                }
            }
            if (Poco::JSON::Object::Ptr opts = node->getObject("DriverOpts"))
            {
                for (const auto& [k, v] : *opts)
                    n.driverOpts.push_back(k + "=" + v.toString());
            }
            if (Poco::JSON::Object::Ptr files = node->getObject("Files"))
                n.buildkitdConfig =
                    base::fromBase64(files->optValue<std::string>("buildkitd.toml", ""));
            out.push_back(n);
        }
    }
    catch (const Poco::Exception&)
    {
        out.clear(); // not buildx's form: no nodes hoist can use
    }
    return out;
}

void BuildxStore::use(const std::string& name, const std::string& endpoint) const
{
    Poco::JSON::Object current(Poco::JSON_PRESERVE_KEY_ORDER);
    current.set("Key", endpoint);
    current.set("Name", Poco::toLower(name));
    current.set("Global", false);
    std::ostringstream json;
    current.stringify(json);
    StoreLock lock(_dir);
    writeAtomically(_dir + "/current", json.str());
}

void BuildxStore::remove(const std::string& name) const
{
    if (!Poco::File(_dir).exists())
        return;
    StoreLock lock(_dir);
    const std::string key = Poco::toLower(name);
    for (const std::string& path : {_dir + "/activity/" + key, _dir + "/activity/" + name,
                                    _dir + "/refs/" + name, _dir + "/instances/" + key})
    {
        Poco::File f(path);
        if (f.exists())
            f.remove(true);
    }
}

bool BuildxStore::has(const std::string& name) const
{
    return Poco::File(_dir + "/instances/" + Poco::toLower(name)).exists();
}

} // namespace hoist::builder
