#pragma once

#include "engine/EngineClient.h"

#include <optional>
#include <string>
#include <vector>

namespace hoist::doctor
{

/// One finding of `hoist doctor`.
struct Finding
{
    std::string check;  /// e.g. "engine"
    std::string status; /// "ok", "warn", "fail" or "info"
    std::string detail;
    std::string fix; /// what to do, for warn and fail
};

/// What doctor found, and whether builds can run.
struct Diagnosis
{
    std::vector<Finding> findings;
    bool canBuild = true;
    /// Whether the engine refused a privileged container for its capabilities; nothing when
    /// not known (the check did not run, or failed another way).
    std::optional<bool> refusesPrivileged;
};

/// Checks that builds can run against an engine: reachable, its version, cgroups, storage and
/// free disk, whether privileged containers start (or the capability fallback does), and the
/// QEMU emulators registered; each finding with a fix. The privileged check starts a container
/// from a one-layer image holding hoist's own static binary, so it needs no registry.
class Doctor
{
public:
    /// A doctor of client's engine; version and arch are this hoist's (for the probe image).
    Doctor(engine::EngineClient& client, std::string version, std::string arch);

    /// Runs every check.
    Diagnosis run();

private:
    void engineFacts(Diagnosis& d);
    void security(Diagnosis& d);
    void binfmt(Diagnosis& d);

    engine::EngineClient& _client;
    std::string _version;
    std::string _arch;
};

} // namespace hoist::doctor
