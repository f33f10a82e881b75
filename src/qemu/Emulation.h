#pragma once

#include "base/Problem.h"
#include "qemu/BinfmtRegistry.h"

#include <string>
#include <vector>

namespace hoist::qemu
{

/// Which of the platforms a build asks for need an emulator registered.
struct EmulationPlan
{
    std::vector<std::string> native;  /// platforms the engine's CPU runs itself
    std::vector<std::string> ready;   /// emulated, with a usable (F flag) registration
    std::vector<std::string> missing; /// need one: their qemu names, e.g. "aarch64"
    std::vector<std::string> unknown; /// platforms hoist cannot map to a QEMU emulator
};

/// Decides and reports emulation needs: the QEMU name of a platform, and the plan for a
/// set of platforms on an engine of one architecture with one binfmt_misc state.
class Emulation
{
public:
    /// Returns QEMU's name for platform ("linux/arm64" → "aarch64", "linux/arm/v7" → "arm"),
    /// or "" when there is none hoist knows.
    static std::string qemuArch(const std::string& platform);

    /// Returns true when an engine whose architecture is engineArch (as /version's Arch)
    /// runs platform without an emulator: its own, 386 on amd64, arm/v7 and v6 on arm64.
    static bool runsNatively(const std::string& platform, const std::string& engineArch);

    /// Returns the platforms setup-qemu-action's "all" stands for, in the order the binfmt
    /// image lists them: linux/amd64, linux/arm64, … linux/arm/v6.
    static const std::vector<std::string>& every();

    /// Returns every platform named in values (comma lists), given as option; appends a
    /// problem naming option for one QEMU has no emulator for.
    static std::vector<std::string> platforms(const std::vector<std::string>& values,
                                              const std::string& option, base::Problems& problems);

    /// Returns the plan for platforms on an engine whose architecture is engineArch (as
    /// /version's Arch: "amd64", "arm64", …). A registration counts only with the F flag, the
    /// one that works inside containers.
    static EmulationPlan plan(const std::vector<std::string>& platforms,
                              const std::string& engineArch, const BinfmtRegistry& registry);
};

} // namespace hoist::qemu
