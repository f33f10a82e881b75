// This file implements reading the engine kernel's binfmt_misc from the engine's side: a short
// container of an image already present binds it read-only and lists each entry.

#include "qemu/EngineBinfmt.h"

#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/Images.h"

namespace hoist::qemu
{

namespace
{

const char* LIST = "for f in /binfmt/*; do echo \"== ${f#/binfmt/}\"; cat \"$f\"; done";

engine::ContainerCreate containerConfig(const std::string& image)
{
    engine::ContainerCreate body;
    body.image = image;
    body.entrypoint = std::vector<std::string>{"/bin/sh", "-c", LIST};
    body.cmd = std::vector<std::string>{};
    body.labels = {{"dev.hoist.role", "binfmt-probe"}};
    body.host.binds = {"/proc/sys/fs/binfmt_misc:/binfmt:ro"};
    body.host.networkMode = "none";
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
