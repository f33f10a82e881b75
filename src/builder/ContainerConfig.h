#pragma once

#include "builder/BuilderSpec.h"
#include "engine/Requests.h"
#include "engine/SecurityMode.h"

#include <string>

namespace hoist::builder
{

using engine::SecurityMode;

/// What the engine tells that changes the container (GET /info).
struct EngineFacts
{
    std::string cgroupDriver; /// "cgroupfs", "systemd", …
    bool userns = false;      /// the daemon runs with userns-remap
};

/// Builds the container of a builder exactly as buildx's docker-container driver does (Image,
/// Env, Cmd; Privileged, Init, RestartPolicy, the state volume, NetworkMode, resources,
/// CgroupParent on cgroupfs only, UsernsMode under userns), plus hoist's labels and the
/// security mode's fields when it is not Privileged.
class ContainerConfig
{
public:
    /// Returns the container to create. stateDir is where the state volume goes
    /// (/var/lib/buildkit; a rootless image keeps its state elsewhere).
    static engine::ContainerCreate build(const BuilderSpec& spec, SecurityMode mode,
                                         const EngineFacts& facts, const std::string& stateDir);

    /// Returns the labels hoist puts on the builder's container (and volume).
    static std::map<std::string, std::string> labels(const BuilderSpec& spec, SecurityMode mode);

    /// Returns the labels of a state volume made now: labels(), and a random LABEL_VOLUME_ID.
    static std::map<std::string, std::string> volumeLabels(const BuilderSpec& spec,
                                                           SecurityMode mode);
};

} // namespace hoist::builder
