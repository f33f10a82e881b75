#pragma once

#include "builder/Builder.h"
#include "cli/Options.h"
#include "qemu/Hints.h"
#include "qemu/Registrar.h"

namespace hoist::app
{

/// The hints the modules' messages give, spelled as the user can give each option.
class Settings
{
public:
    /// Returns the builder's hints.
    static builder::Hints builderHints(const cli::Options& options);

    /// Returns QEMU's hints.
    static qemu::Hints qemuHints(const cli::Options& options);

    /// Returns how the user turns the CI defaults off, for the log and the job summary: "off
    /// with the action input ci-defaults: false, --ci-defaults=false or HOIST_CI_DEFAULTS=false".
    static std::string ciDefaultsOff(const cli::Options& options);
};

} // namespace hoist::app
