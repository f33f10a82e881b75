#pragma once

#include "builder/BuildkitdConfig.h"
#include "builder/DriverOpts.h"
#include "engine/SecurityMode.h"

#include <map>
#include <string>
#include <vector>

namespace hoist::builder
{

using engine::SecurityMode;

/// Everything that decides what a builder's container looks like, resolved from options and
/// CI context by the caller.
struct BuilderSpec
{
    std::string name;               /// the builder name, as buildx's --name
    DriverOpts opts;                /// parsed --driver-opt values
    std::vector<std::string> flags; /// buildkitd flags (BuildkitdConfig::flags)
    BuildkitdConfig config;         /// buildkitd.toml and certificates, possibly empty
    std::map<std::string, std::string>
        extraFiles;                            /// more files under /etc/buildkit (provenance.d/…)
    std::map<std::string, std::string> labels; /// extra labels (CI run), on container and volume
    std::string session; /// who runs this job; teardown removes only its own builders
    std::string hoistVersion;
    std::string container; /// the container's name when it is not buildx's (a remote client)
    std::string node;      /// a multi-node builder's node name ("" for buildx's NAME0)

    /// Returns buildx's node name: node when set, else the lower-cased builder name and "0".
    std::string nodeName() const;
    /// Returns "buildx_buildkit_<node>", buildx's container name.
    std::string containerName() const;
    /// Returns "<container>_state", buildx's state volume name.
    std::string volumeName() const;

    /// Returns a digest of everything that shapes the container (image, opts, flags, files,
    /// security mode); a running builder with another digest is recreated.
    std::string configDigest(SecurityMode mode) const;

    /// Returns every file to copy under /etc/buildkit (config, certificates, extra files).
    std::map<std::string, std::string> files() const;
};

} // namespace hoist::builder
