#pragma once

#include "engine/SecurityMode.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist::engine
{

/// A mount of a container: a named volume, or a path of the engine's host.
struct MountSpec
{
    std::string type; /// "volume" or "bind"
    std::string source;
    std::string target;
    bool readOnly = false;
};

/// How the engine restarts a container.
struct RestartPolicy
{
    std::string name; /// "no", "always", "unless-stopped", "on-failure"
    int maximumRetryCount = 0;
};

/// What hoist asks of POST /containers/create, typed; Codec::encode turns it into the body.
struct ContainerCreate
{
    std::string image;
    std::optional<std::vector<std::string>> entrypoint; /// none: the image's
    std::optional<std::vector<std::string>> cmd;        /// none: the image's; empty: none at all
    std::vector<std::string> env;                       /// "NAME=value"
    std::map<std::string, std::string> labels;

    /// The HostConfig part: what the engine's host gives the container.
    struct Host
    {
        bool init = false;       /// an init process that reaps what the container's processes leave
        bool autoRemove = false; /// the engine removes the container when it stops
        std::optional<RestartPolicy> restart;
        std::vector<MountSpec> mounts;
        std::vector<std::string> binds; /// "HOST:CONTAINER[:ro]"
        std::string networkMode;        /// "" for the engine's default
        long long memory = 0;           /// bytes; 0: not set (as every number here)
        long long memorySwap = 0;
        long long cpuQuota = 0;
        long long cpuPeriod = 0;
        long long cpuShares = 0;
        std::string cpusetCpus;
        std::string cpusetMems;
        std::string cgroupParent;
        std::string usernsMode;
        /// How it gets the rights to run builds (applySecurityMode's fields); none: no field
        std::optional<SecurityMode> security;
    } host;
};

} // namespace hoist::engine
