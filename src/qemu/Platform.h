#pragma once

#include <string>

namespace hoist::qemu
{

/// A build platform as containerd's platforms package reads one, limited to what a Linux
/// BuildKit worker can build: os/arch[/variant], normalized (x86_64 → amd64, aarch64 →
/// arm64, linux/arm → linux/arm/v7, amd64/v1 → amd64, arm64/v8 → arm64).
struct Platform
{
    std::string os;
    std::string arch;
    std::string variant;

    /// Returns "os/arch" or "os/arch/variant".
    std::string str() const;

    /// Reads text ("linux/arm64", "arm64", "local" for this binary's own platform). Returns
    /// false and sets problem (what is wrong and what would be right) when it is not one.
    static bool parse(const std::string& text, Platform& out, std::string& problem);
};

} // namespace hoist::qemu
