// This file implements installing QEMU emulators with the binfmt image, as
// docker/setup-qemu-action does: pulled when missing, run privileged (or with the capability
// fallback), its output read for the architectures that failed.

#include "qemu/ImageInstaller.h"

#include "base/Error.h"
#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/EngineError.h"
#include "engine/Images.h"
#include "engine/SecurityMode.h"

#include <Poco/String.h>

namespace hoist::qemu
{

ImageInstaller::ImageInstaller(engine::EngineClient& client, std::string image, Hints hints)
    : _client(client), _image(std::move(image)), _hints(std::move(hints))
{
}

std::vector<std::string> ImageInstaller::failures(const std::string& output)
{
    std::vector<std::string> failed;
    for (const auto& line : base::split(output, '\n'))
    {
        std::string l = Poco::trim(line);
        if (!base::startsWith(l, "installing: "))
            continue;
        std::string rest = l.substr(12);
        if (base::endsWith(rest, " OK"))
            continue;
        failed.push_back(rest);
    }
    return failed;
}

void ImageInstaller::ensureImage(const std::string& registryAuth)
{
    engine::Images images(_client);
    if (images.inspect(_image))
        return;
    try
    {
        images.pull(_image, "", registryAuth, nullptr);
    }
    catch (const engine::EngineApiException& e)
    {
        throw base::UnavailableException("cannot pull the QEMU installer image " +
                                         base::quoted(_image) + ": " + e.engineMessage() +
                                         "\nhint: " + _hints.useHost +
                                         " registers the host's qemu-user-static instead; " +
                                         _hints.otherImage + " names another image");
    }
}

std::string ImageInstaller::runImage(const std::vector<std::string>& args)
{
    engine::Containers containers(_client);
    // Random, not the pid: hoist in two job containers can both be pid 1.
    const std::string name = "hoist-binfmt-" + base::randomHex(8);
    std::string output;
    for (engine::SecurityMode mode :
         {engine::SecurityMode::Privileged, engine::SecurityMode::Capabilities})
    {
        engine::ContainerCreate body;
        body.image = _image;
        body.cmd = args;
        body.labels = {{"dev.hoist.role", "qemu-installer"}};
        body.host.security = mode;
        bool retry = false;
        try
        {
            containers.create(name, body);
            containers.start(name);
            containers.wait(name);
            output = containers.logs(name, 1000);
        }
        catch (const engine::EngineApiException& e)
        {
            retry = mode == engine::SecurityMode::Privileged &&
                    engine::isCapabilityRefusal(e.engineMessage());
            if (!retry)
            {
                containers.remove(name, true, true);
                throw base::UnavailableException("the QEMU installer " + base::quoted(_image) +
                                                 " did not run: " + e.engineMessage());
            }
        }
        containers.remove(name, true, true);
        if (!retry)
            break;
    }
    return output;
}

void ImageInstaller::install(const std::vector<std::string>& archs, const std::string& registryAuth)
{
    ensureImage(registryAuth);
    auto failed = failures(runImage({"--install", base::join(archs, ",")}));
    if (!failed.empty())
        throw base::UnavailableException("the QEMU installer " + base::quoted(_image) +
                                         " failed for: " + base::join(failed, "; ") +
                                         "\nhint: " + _hints.useHost +
                                         " registers the host's qemu-user-static instead");
}

void ImageInstaller::uninstall(const std::string& registryAuth)
{
    ensureImage(registryAuth);
    runImage({"--uninstall", "qemu-*"});
}

} // namespace hoist::qemu
