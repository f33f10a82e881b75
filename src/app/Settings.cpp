#include "app/Settings.h"

namespace hoist::app
{

builder::PullPolicy Settings::pull(cli::ImagePull pull)
{
    switch (pull)
    {
    case cli::ImagePull::Always:
        return builder::PullPolicy::Always;
    case cli::ImagePull::Never:
        return builder::PullPolicy::Never;
    case cli::ImagePull::Missing:
        break;
    }
    return builder::PullPolicy::Missing;
}

qemu::Mode Settings::qemu(cli::QemuMode mode)
{
    switch (mode)
    {
    case cli::QemuMode::Image:
        return qemu::Mode::Image;
    case cli::QemuMode::Host:
        return qemu::Mode::Host;
    case cli::QemuMode::Off:
        return qemu::Mode::Off;
    case cli::QemuMode::Auto:
        break;
    }
    return qemu::Mode::Auto;
}

builder::Hints Settings::builderHints(const cli::Options& o)
{
    return {o.setup.imagePull.name() + "=never", o.setup.imagePull.flag() + "=missing",
            o.setup.driverOpts.flag() + " image=REF", o.setup.bootstrapTimeout.flag(),
            "hoist teardown " + o.teardown.force.flag()};
}

qemu::Hints Settings::qemuHints(const cli::Options& o)
{
    const std::string& mode = o.setup.qemu.flag();
    return {mode + " image", mode + " host", o.setup.qemuImage.flag(),
            o.setup.qemu.name() + "=off"};
}

} // namespace hoist::app
