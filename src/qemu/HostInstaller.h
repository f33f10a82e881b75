#pragma once

#include "qemu/Hints.h"

#include <string>
#include <vector>

namespace hoist::qemu
{

/// Registers the host's QEMU user emulators (Debian's qemu-user-static: /usr/bin/qemu-*-static,
/// magic and mask from /usr/lib/binfmt.d/qemu-*.conf) with the F flag, so they work inside
/// containers. Needs root and an engine on this machine.
class HostInstaller
{
public:
    /// An installer writing to binfmtDir/register, reading confDir and binDir; hints name the
    /// other ways in messages.
    explicit HostInstaller(Hints hints, std::string binfmtDir = "/proc/sys/fs/binfmt_misc",
                           std::string confDir = "/usr/lib/binfmt.d",
                           std::string binDir = "/usr/bin");

    /// Returns the registration line for arch (":qemu-<arch>:M::<magic>:<mask>:<binary>:F").
    /// Throws base::UnavailableException when the emulator or its binfmt.d entry is missing.
    std::string registration(const std::string& arch) const;

    /// Registers every arch. Throws base::UnavailableException naming what is missing, or the
    /// kernel's refusal, and how to fix it.
    void install(const std::vector<std::string>& archs) const;

    /// Returns true when the host has arch's emulator and its binfmt.d entry.
    bool has(const std::string& arch) const;

    /// Removes the registrations named (e.g. "qemu-aarch64"), as setup-qemu-action's reset.
    /// Throws base::UnavailableException naming the kernel's refusal.
    void uninstall(const std::vector<std::string>& names) const;

private:
    Hints _hints;
    std::string _binfmtDir;
    std::string _confDir;
    std::string _binDir;
};

} // namespace hoist::qemu
