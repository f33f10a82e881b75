#pragma once

#include "buildrun/BuildStep.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hoist::report
{

/// What one hoist command did, for the CI reports and the --result-file JSON. Plain data the
/// composition root fills in.
/// A move of the builder's state between engines (docs/state.md).
struct StateMove
{
    std::string where;       /// the snapshot's place as given; "" when nothing moved
    std::uint64_t bytes = 0; /// compressed, as stored
    std::uint64_t raw = 0;   /// the volume's tar
    double seconds = 0;
};

struct RunReport
{
    std::string command;                     /// "setup", "build" or "run"
    std::string builder;                     /// the builder name
    std::string driver = "docker-container"; /// or "remote"
    std::string builderAction; /// "created", "reused", "started", "recreated" ("" when no setup)
    bool warmState = false;    /// the state volume was there before
    std::string buildkitVersion;
    std::vector<std::string> platforms; /// the builder's platforms
    std::string volume;                 /// the state volume
    bool keptVolume = false;            /// teardown kept it
    StateMove stateRestored;            /// the new volume was filled from a snapshot
    StateMove stateSaved;               /// teardown saved the state
    bool built = false;                 /// a build ran to the end
    buildrun::BuildSummary build;       /// valid when built
    std::vector<std::string> tags;
    std::vector<std::string> ciDefaults; /// what the CI defaults added
    std::string ciDefaultsOff;           /// how to turn them off, as the user would
    std::string dockerfile;  /// the Dockerfile's absolute path on this machine, when built
    std::string byDigest;    /// a leg pushed by digest: its repository, else ""
    std::string platformKey; /// a leg's platforms, as buildrun::platformKey gives them
    /// setup: what buildx's inspect tells of the node (setup-buildx-action's nodes output)
    std::string endpoint;       /// the engine, as buildx keys it
    std::string buildkitdFlags; /// buildkitd's flags, space-separated
    bool current = false;       /// setup made it buildx's current builder (--use)
    std::string error;          /// the failure, when the command failed
    int exitCode = 0;
    double seconds = 0;
};

} // namespace hoist::report
