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
};

} // namespace hoist::app
