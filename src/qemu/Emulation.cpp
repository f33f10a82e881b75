// This file implements the emulation decisions: QEMU's name for a platform, the platforms
// named in the options, and which platforms run natively, are emulated, or miss an emulator.

#include "qemu/Emulation.h"

#include "base/Strings.h"
#include "qemu/Platform.h"

#include <Poco/String.h>

#include <algorithm>
#include <map>

namespace hoist::qemu
{

std::string Emulation::qemuArch(const std::string& platform)
{
    static const std::map<std::string, std::string> names = {
        {"amd64", "x86_64"},       {"386", "i386"},        {"arm64", "aarch64"}, {"arm", "arm"},
        {"riscv64", "riscv64"},    {"ppc64le", "ppc64le"}, {"ppc64", "ppc64"},   {"s390x", "s390x"},
        {"mips64le", "mips64el"},  {"mips64", "mips64"},   {"mipsle", "mipsel"}, {"mips", "mips"},
        {"loong64", "loongarch64"}};
    auto parts = base::split(Poco::toLower(platform), '/');
    const std::string arch = parts.size() >= 2 ? parts[1] : parts[0];
    auto it = names.find(arch);
    return it == names.end() ? "" : it->second;
}

const std::vector<std::string>& Emulation::every()
{
    static const std::vector<std::string> all = {"linux/amd64",    "linux/arm64",  "linux/riscv64",
                                                 "linux/ppc64le",  "linux/s390x",  "linux/386",
                                                 "linux/mips64le", "linux/mips64", "linux/loong64",
                                                 "linux/arm/v7",   "linux/arm/v6"};
    return all;
}

bool Emulation::runsNatively(const std::string& platform, const std::string& engineArch)
{
    const std::string q = qemuArch(platform);
    const std::string native = qemuArch("linux/" + engineArch);
    // An amd64 CPU runs 386 code, an arm64 one usually arm/v7 and v6.
    return !q.empty() && (q == native || (native == "x86_64" && q == "i386") ||
                          (native == "aarch64" && q == "arm"));
}

EmulationPlan Emulation::plan(const std::vector<std::string>& platforms,
                              const std::string& engineArch, const BinfmtRegistry& registry)
{
    EmulationPlan p;
    for (const auto& platform : platforms)
    {
        const std::string q = qemuArch(platform);
        if (q.empty())
            p.unknown.push_back(platform);
        else if (runsNatively(platform, engineArch))
            p.native.push_back(platform);
        else
        {
            auto entries = registry.emulators();
            bool registered = std::any_of(entries.begin(), entries.end(),
                                          [&](const BinfmtEntry& e)
                                          { return e.name == "qemu-" + q && e.fixBinary(); });
            if (registered)
                p.ready.push_back(platform);
            else if (std::find(p.missing.begin(), p.missing.end(), q) == p.missing.end())
                p.missing.push_back(q);
        }
    }
    return p;
}

std::vector<std::string> Emulation::platforms(const std::vector<std::string>& values,
                                              const std::string& option, base::Problems& problems)
{
    std::vector<std::string> out;
    for (const auto& v : values)
    {
        for (const auto& field : base::split(v, ','))
        {
            Platform p;
            std::string problem;
            if (!Platform::parse(field, p, problem))
                problems.push_back(
                    base::Problem{option,
                                  option + " " + base::quoted(field) + " " + problem +
                                      (v != field ? " (in " + base::quoted(v) + ")" : ""),
                                  ""});
            else if (std::find(out.begin(), out.end(), p.str()) == out.end())
                out.push_back(p.str()); // buildx drops a platform given twice
        }
    }
    return out;
}

} // namespace hoist::qemu
