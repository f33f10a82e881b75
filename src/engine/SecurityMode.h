#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace hoist::engine
{

/// How a BuildKit container gets the rights it needs to run builds.
enum class SecurityMode
{
    /// Privileged, as buildx always does.
    Privileged,
    /// For engines that refuse privileged containers because their own capability bounding
    /// set is short (e.g. dockerd started without CAP_SYS_RESOURCE): every capability the
    /// engine can grant, seccomp and AppArmor unconfined, /proc unmasked and the cgroup tree
    /// writable, which is what BuildKit's runc worker uses of "privileged".
    Capabilities,
    /// A rootless BuildKit image (its user is not root): unprivileged, with only seccomp,
    /// AppArmor and the /proc masks lifted, as rootless BuildKit requires.
    Rootless
};

/// Returns "privileged", "capabilities" or "rootless".
std::string securityModeName(SecurityMode mode);

/// Sets the HostConfig fields of mode on hostConfig (Privileged, CapAdd/CapDrop, SecurityOpt,
/// MaskedPaths/ReadonlyPaths and, for Capabilities, a bind of /sys/fs/cgroup added to Mounts).
void applySecurityMode(SecurityMode mode, Poco::JSON::Object& hostConfig);

/// Returns true when message is the engine's refusal to grant the capabilities of a
/// privileged container ("unable to apply caps: operation not permitted").
bool isCapabilityRefusal(const std::string& message);

} // namespace hoist::engine
