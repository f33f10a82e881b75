// Platform names as containerd's platforms.Parse and Normalize read them (database.go), with
// the architectures and variants that exist.

#include "qemu/Platform.h"

#include "base/Strings.h"

#include <Poco/String.h>

#include <map>
#include <set>
#include <vector>

namespace hoist::qemu
{

namespace
{

// Architecture aliases → Go's name, and the variant an alias implies.
void normalizeArch(std::string& arch, std::string& variant)
{
    static const std::map<std::string, std::pair<std::string, std::string>> ALIASES = {
        {"i386", {"386", ""}},      {"x86_64", {"amd64", ""}},   {"x86-64", {"amd64", ""}},
        {"aarch64", {"arm64", ""}}, {"armhf", {"arm", "v7"}},    {"armel", {"arm", "v6"}},
        {"armv5l", {"arm", "v5"}},  {"armv6l", {"arm", "v6"}},   {"armv7l", {"arm", "v7"}},
        {"armv8l", {"arm", "v8"}},  {"ppc64el", {"ppc64le", ""}}};
    auto it = ALIASES.find(arch);
    if (it != ALIASES.end())
    {
        arch = it->second.first;
        if (variant.empty())
            variant = it->second.second;
    }
    if (!variant.empty() && variant[0] != 'v' &&
        variant.find_first_not_of("0123456789.") == std::string::npos)
        variant = "v" + variant; // "linux/arm/7" as containerd reads it
    if (arch == "amd64" && variant == "v1")
        variant.clear();
    else if (arch == "arm64" && (variant == "v8" || variant == "v8.0"))
        variant.clear();
    else if (arch == "arm" && variant.empty())
        variant = "v7";
}

// The variants each architecture has; an architecture not listed has none.
const std::map<std::string, std::set<std::string>>& variants()
{
    static const std::map<std::string, std::set<std::string>> V = {
        {"amd64", {"v2", "v3", "v4"}},
        {"arm", {"v5", "v6", "v7", "v8"}},
        {"arm64",
         {"v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9", "v9.0",
          "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"}}};
    return V;
}

const std::set<std::string>& architectures()
{
    static const std::set<std::string> A = {"amd64",   "386",   "arm64",  "arm",      "riscv64",
                                            "ppc64le", "ppc64", "s390x",  "mips64le", "mips64",
                                            "mipsle",  "mips",  "loong64"};
    return A;
}

std::string ownArch()
{
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#else
    return "";
#endif
}

bool checkVariant(const Platform& p, std::string& problem)
{
    const auto& known = variants();
    auto it = known.find(p.arch);
    if (p.variant.empty() || (it != known.end() && it->second.count(p.variant)))
        return true;
    problem =
        it == known.end()
            ? p.arch + " has no variants"
            : "variant " + p.variant + " of " + p.arch + " does not exist (known: " +
                  base::join(std::vector<std::string>(it->second.begin(), it->second.end()), ", ") +
                  ")";
    return false;
}

} // namespace

std::string Platform::str() const
{
    return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

bool Platform::parse(const std::string& text, Platform& out, std::string& problem)
{
    const std::string t = Poco::toLower(Poco::trim(text));
    if (t == "local")
        return parse("linux/" + ownArch(), out, problem);
    std::vector<std::string> parts = base::split(t, '/');
    if (t.empty() || parts.size() > 3 ||
        std::any_of(parts.begin(), parts.end(), [](const std::string& s) { return s.empty(); }))
    {
        problem = "is not a platform: use os/arch[/variant], e.g. linux/arm64, linux/arm/v7";
        return false;
    }
    if (parts.size() == 1) // an architecture alone means linux, as BuildKit reads it
        parts.insert(parts.begin(), "linux");
    Platform p{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
    if (p.os != "linux")
    {
        problem = "is not a platform hoist builds: BuildKit's container workers build for linux "
                  "only";
        return false;
    }
    normalizeArch(p.arch, p.variant);
    if (!architectures().count(p.arch))
    {
        problem = "names no architecture Linux runs on (amd64, arm64, arm, 386, riscv64, "
                  "ppc64le, s390x, …)";
        return false;
    }
    if (!checkVariant(p, problem))
        return false;
    out = p;
    return true;
}

} // namespace hoist::qemu
