#include "app/QemuStep.h"

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

namespace hoist::app
{

std::vector<std::string> QemuStep::platforms(const std::vector<std::string>& values,
                                             std::vector<std::string>& problems)
{
    std::vector<std::string> out;
    for (const auto& v : values)
    {
        for (const auto& p : base::splitTrimmed(v, ','))
        {
            if (qemu::Emulation::qemuArch(p).empty())
                problems.push_back(
                    "--platform " + base::quoted(p) +
                    " is not a platform hoist can emulate: use os/arch[/variant], e.g. "
                    "linux/arm64, linux/arm/v7, linux/riscv64");
            else
                out.push_back(p);
        }
    }
    return out;
}

std::vector<std::string> QemuStep::run(engine::EngineClient& client,
                                       const engine::RegistryAuth& auth,
                                       const std::vector<std::string>& platforms,
                                       const std::string& mode, const std::string& image,
                                       const std::string& builderImage, report::Console& console)
{
    if (platforms.empty())
        return {};
    const bool local = client.transport().endpoint().kind == engine::Endpoint::Kind::Unix;
    auto version = engine::System(client).version();
    const std::string arch = version->optValue<std::string>("Arch", "amd64");
    // The kernel's registrations are visible here when the engine runs on this machine and
    // hoist is not in a container of its own; otherwise a container of the builder's image
    // reads them on the engine's side (when that image is there), else the installer checks.
    qemu::BinfmtRegistry registry = local ? qemu::BinfmtRegistry::read() : qemu::BinfmtRegistry();
    if (!registry.mounted())
        registry = qemu::EngineBinfmt(client, builderImage).read();
    qemu::EmulationPlan plan = qemu::Emulation::plan(platforms, arch, registry);
    std::vector<std::string> emulated = plan.ready;
    if (plan.missing.empty())
    {
        if (!plan.ready.empty())
            console.note("QEMU: " + base::join(plan.ready, ", ") + " already emulated");
        return emulated;
    }
    if (mode == "off")
    {
        console.warning("QEMU: no emulator registered for " + base::join(plan.missing, ", ") +
                        " and --qemu=off: builds for those platforms will fail");
        return emulated;
    }
    bool useImage = mode == "image";
    if (mode == "auto")
    {
        bool haveImage = !engine::Images(client).inspect(image).isNull();
        bool haveHost =
            local && Poco::File("/usr/bin/qemu-" + plan.missing[0] + "-static").exists();
        useImage = haveImage || !haveHost;
    }
    if (!useImage && !local)
        throw base::UnavailableException(
            "--qemu host registers the emulators of this machine, but the engine at " +
            client.transport().endpoint().url() + " is elsewhere\nhint: use --qemu image");
    if (useImage)
    {
        qemu::ImageInstaller(client, image).install(plan.missing, auth.headerFor(image));
    }
    else
        qemu::HostInstaller().install(plan.missing);
    console.note("QEMU: registered " + base::join(plan.missing, ", ") + " with " +
                 (useImage ? "the image " + image : std::string("the host's qemu-user-static")));
    for (const auto& p : platforms)
    {
        const std::string q = qemu::Emulation::qemuArch(p);
        if (std::find(plan.missing.begin(), plan.missing.end(), q) != plan.missing.end())
            emulated.push_back(p);
    }
    return emulated;
}

} // namespace hoist::app
