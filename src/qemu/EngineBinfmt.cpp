#include "qemu/EngineBinfmt.h"

#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/Images.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace hoist::qemu
{

namespace
{

const char* LIST = "for f in /binfmt/*; do echo \"== ${f#/binfmt/}\"; cat \"$f\"; done";

Poco::JSON::Object containerConfig(const std::string& image)
{
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("Image", image);
    Poco::JSON::Array entrypoint;
    for (const char* a : {"/bin/sh", "-c", LIST})
        entrypoint.add(std::string(a));
    body.set("Entrypoint", entrypoint);
    body.set("Cmd", Poco::JSON::Array());
    Poco::JSON::Object labels;
    labels.set("dev.hoist.role", "binfmt-probe");
    body.set("Labels", labels);
    Poco::JSON::Object::Ptr host = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array binds;
    binds.add(std::string("/proc/sys/fs/binfmt_misc:/binfmt:ro"));
    host->set("Binds", binds);
    host->set("NetworkMode", "none");
    body.set("HostConfig", host);
    return body;
}

} // namespace

EngineBinfmt::EngineBinfmt(engine::EngineClient& client, std::string image)
    : _client(client), _image(std::move(image))
{
}

BinfmtRegistry EngineBinfmt::read()
{
    if (_image.empty() || !engine::Images(_client).inspect(_image))
        return {};
    engine::Containers containers(_client);
    // Random, not the pid: hoist in two job containers can both be pid 1.
    const std::string name = "hoist-binfmt-probe-" + base::randomHex(8);
    std::string listing;
    try
    {
        containers.create(name, containerConfig(_image));
        containers.start(name);
        if (containers.wait(name) == 0)
            listing = containers.logs(name, 10000);
    }
    catch (const Poco::Exception&)
    {
        listing.clear();
    }
    try
    {
        containers.remove(name, true, true);
    }
    catch (const Poco::Exception&)
    {
    }
    return BinfmtRegistry::parseListing(listing);
}

} // namespace hoist::qemu
