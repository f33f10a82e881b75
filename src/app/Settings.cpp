// This file implements the builder's and QEMU's hints: the option spellings their messages
// suggest.

#include "app/Settings.h"

namespace hoist::app
{

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

std::string Settings::ciDefaultsOff(const cli::Options& o)
{
    const cli::Source& s = o.build.ciDefaults.source;
    return "off with the action input " + s.input + ": false, " + s.flag + "=false or " +
           s.variable + "=false";
}

} // namespace hoist::app
