// This file implements the QEMU part of setup: the engine's binfmt_misc read, the platforms
// that lack an emulator, and their registration with the installer image or the host's QEMU,
// as the mode asks.

#include "qemu/Registrar.h"

#include "base/Error.h"
#include "base/Strings.h"
#include "engine/Images.h"
#include "engine/System.h"
#include "qemu/BinfmtRegistry.h"
#include "qemu/Emulation.h"
#include "qemu/EngineBinfmt.h"
#include "qemu/HostInstaller.h"
#include "qemu/ImageInstaller.h"

#include <Poco/File.h>

#include <algorithm>

namespace hoist::qemu
{

Mode modeNamed(const std::string& name)
{
    return name == "image"  ? Mode::Image
           : name == "host" ? Mode::Host
           : name == "off"  ? Mode::Off
                            : Mode::Auto;
}

Registrar::Registrar(engine::EngineClient& client, const engine::RegistryAuth& auth, Hints hints,
                     Note note, Note warn)
    : _client(client),
      _auth(auth),
      _hints(std::move(hints)),
      _note(std::move(note)),
      _warn(std::move(warn))
{
}

bool Registrar::useImage(Mode mode, const std::string& image, const std::string& firstMissing,
                         bool local)
{
    if (mode != Mode::Auto)
        return mode == Mode::Image;
    bool haveImage = engine::Images(_client).inspect(image).has_value();
    bool haveHost = local && Poco::File("/usr/bin/qemu-" + firstMissing + "-static").exists();
    return haveImage || !haveHost;
}

Registrar& Registrar::quietWhenReady()
{
    _sayReady = false;
    return *this;
}

bool Registrar::local() const
{
    return _client.endpoint().kind == engine::Endpoint::Kind::Unix;
}

BinfmtRegistry Registrar::registry(const std::string& builderImage)
{
    // The kernel's registrations are visible here when the engine runs on this machine and
    // hoist is not in a container of its own; otherwise a container of the builder's image
    // reads them on the engine's side (when that image is there), else the installer checks.
    BinfmtRegistry registry = local() ? BinfmtRegistry::read() : BinfmtRegistry();
    if (!registry.mounted())
        registry = EngineBinfmt(_client, builderImage).read();
    return registry;
}

Registrar& Registrar::everyAvailable()
{
    _every = true;
    return *this;
}

std::vector<std::string> Registrar::installable(const std::vector<std::string>& missing, bool image)
{
    if (!_every || image)
        return missing;
    // "all" from the host: the emulators it has; the others are named, not failed.
    std::vector<std::string> have, lack;
    const HostInstaller host(_hints);
    for (const auto& arch : missing)
        (host.has(arch) ? have : lack).push_back(arch);
    if (!lack.empty())
        _note("QEMU: the host has no qemu-user-static for " + base::join(lack, ", "));
    return have;
}

std::vector<std::string> Registrar::run(const std::vector<std::string>& platforms, Mode mode,
                                        const std::string& image, const std::string& builderImage)
{
    if (platforms.empty())
        return {};
    const std::string arch = engine::System(_client).version().arch;
    EmulationPlan plan = Emulation::plan(platforms, arch, registry(builderImage));
    std::vector<std::string> emulated = plan.ready;
    if (plan.missing.empty())
    {
        if (!plan.ready.empty() && _sayReady)
            _note("QEMU: " + base::join(plan.ready, ", ") + " already emulated");
        return emulated;
    }
    if (mode == Mode::Off)
    {
        _warn("QEMU: no emulator registered for " + base::join(plan.missing, ", ") + " and " +
              _hints.off + ": builds for those platforms will fail");
        return emulated;
    }
    const bool image_ = useImage(mode, image, plan.missing[0], local());
    if (!image_ && !local())
        throw base::UnavailableException(
            "registering the host's QEMU needs the engine on this machine, but it is at " +
            _client.endpoint().url() + "\nhint: " + _hints.useImage);
    const std::vector<std::string> archs = installable(plan.missing, image_);
    if (archs.empty())
        return emulated;
    if (image_)
        ImageInstaller(_client, image, _hints)
            .install(_every ? std::vector<std::string>{"all"} : archs, _auth.headerFor(image));
    else
        HostInstaller(_hints).install(archs);
    _note("QEMU: registered " + base::join(archs, ", ") + " with " +
          (image_ ? "the image " + image : std::string("the host's qemu-user-static")));
    for (const auto& p : platforms)
    {
        if (std::find(archs.begin(), archs.end(), Emulation::qemuArch(p)) != archs.end())
            emulated.push_back(p);
    }
    return emulated;
}

void Registrar::reset(Mode mode, const std::string& image, const std::string& builderImage)
{
    std::vector<std::string> names;
    const BinfmtRegistry now = registry(builderImage);
    for (const auto& e : now.entries())
    {
        if (base::startsWith(e.name, "qemu-"))
            names.push_back(e.name);
    }
    if (names.empty())
    {
        _note("QEMU: no emulator was registered, none to remove");
        return;
    }
    const bool image_ =
        mode == Mode::Image ||
        (mode == Mode::Auto && (engine::Images(_client).inspect(image).has_value() || !local()));
    if (!image_ && !local())
        throw base::UnavailableException(
            "removing the host's QEMU registrations needs the engine on this machine, but it "
            "is at " +
            _client.endpoint().url() + "\nhint: " + _hints.useImage);
    if (image_)
        ImageInstaller(_client, image, _hints).uninstall(_auth.headerFor(image));
    else
        HostInstaller(_hints).uninstall(names);
    _note("QEMU: removed " + base::join(names, ", ") + " (reset)");
}

std::vector<std::string> Registrar::available(const std::string& builderImage)
{
    const std::string arch = engine::System(_client).version().arch;
    const EmulationPlan plan = Emulation::plan(Emulation::every(), arch, registry(builderImage));
    std::vector<std::string> out;
    for (const auto& p : Emulation::every())
    {
        if (std::find(plan.native.begin(), plan.native.end(), p) != plan.native.end() ||
            std::find(plan.ready.begin(), plan.ready.end(), p) != plan.ready.end())
            out.push_back(p);
    }
    return out;
}

} // namespace hoist::qemu
