#pragma once

#include <string>
#include <vector>

namespace hoist::qemu
{

/// One binfmt_misc registration.
struct BinfmtEntry
{
    std::string name; /// e.g. "qemu-aarch64"
    bool enabled = false;
    std::string interpreter; /// e.g. "/usr/bin/qemu-aarch64-static"
    std::string flags;       /// e.g. "OCF"; F (fix binary) makes it usable inside containers

    /// Returns true when the F flag is set.
    bool fixBinary() const;
};

/// What a kernel's binfmt_misc holds, read from its mount point.
class BinfmtRegistry
{
public:
    /// Reads every entry under dir (default /proc/sys/fs/binfmt_misc). mounted() is false when
    /// the directory has no "status" file.
    static BinfmtRegistry read(const std::string& dir = "/proc/sys/fs/binfmt_misc");

    /// Parses a listing of a binfmt_misc directory: for each file, a line "== NAME" and then
    /// the file's text (EngineBinfmt's form). An empty listing is an unmounted registry.
    static BinfmtRegistry parseListing(const std::string& listing);

    /// Parses one entry file's text (the kernel's "enabled\ninterpreter …\nflags: …" form).
    static BinfmtEntry parseEntry(const std::string& name, const std::string& text);

    /// Returns true when binfmt_misc is mounted at the directory read.
    bool mounted() const;

    /// Returns true when binfmt_misc itself is enabled.
    bool enabled() const;

    /// Returns the entries, sorted by name.
    const std::vector<BinfmtEntry>& entries() const;

    /// Returns the enabled qemu-* entries.
    std::vector<BinfmtEntry> emulators() const;

private:
    bool _mounted = false;
    bool _enabled = false;
    std::vector<BinfmtEntry> _entries;
};

} // namespace hoist::qemu
