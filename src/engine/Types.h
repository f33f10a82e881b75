#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoist::engine
{

/// A container's state, as the engine names it.
enum class ContainerState
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    Unknown
};

/// A container, as GET /containers/{id}/json describes it: the parts hoist reads.
struct ContainerInfo
{
    std::string id;
    std::string name;    /// without the leading "/"
    std::string image;   /// Config.Image, as it was created from
    std::string imageId; /// the image's id
    std::map<std::string, std::string> labels;
    ContainerState state = ContainerState::Unknown;
    bool running = false;
    std::string startedAt; /// State.StartedAt: when it last started (RFC 3339)
    int restartCount = 0;
    bool privileged = false;
    struct Mount
    {
        std::string name;        /// a volume's name ("" for a bind)
        std::string destination; /// where it is mounted in the container
    };
    std::vector<Mount> mounts;
    std::vector<std::string> execIds; /// processes exec'd in it, running or not

    /// Returns the label's value, or "".
    std::string label(const std::string& key) const;
};

/// An exec'd process, as GET /exec/{id}/json describes it.
struct ExecInfo
{
    std::string id;
    bool running = false;
    std::optional<int> exitCode; /// once it ended
    std::string entrypoint;      /// the command
    std::vector<std::string> arguments;
};

/// An image, as GET /images/{ref}/json describes it.
struct ImageInfo
{
    std::string id;
    std::string user; /// Config.User ("" for root)
    std::string os;
    std::string architecture;
    std::map<std::string, std::string> labels;
};

/// A volume, as GET /volumes/{name} describes it.
struct VolumeInfo
{
    std::string name;
    std::map<std::string, std::string> labels;
};

/// GET /version.
struct VersionInfo
{
    std::string version;       /// e.g. "20.10.24"
    std::string apiVersion;    /// the engine's maximum, e.g. "1.41"
    std::string minApiVersion; /// e.g. "1.12"
    std::string os;            /// e.g. "linux"
    std::string arch;          /// Docker's name, e.g. "amd64"
    std::string kernelVersion;
};

/// GET /info: the parts hoist reads.
struct SystemInfo
{
    std::string id;             /// the engine's own ID, stable across its restarts
    std::string serverVersion;  /// e.g. "20.10.24"
    std::string kernelVersion;  /// the engine host's kernel
    std::string defaultRuntime; /// e.g. "runc"
    std::string cgroupDriver;   /// "cgroupfs", "systemd"
    std::string cgroupVersion;  /// "1", "2"
    std::string driver;         /// the storage driver
    std::string dockerRootDir;
    int cpus = 0;                             /// NCPU: the CPUs the engine's host has
    std::vector<std::string> securityOptions; /// e.g. "name=seccomp,profile=default"
    std::vector<std::pair<std::string, std::string>> driverStatus;

    /// Returns true when the image store is containerd's (it holds multi-platform images).
    bool containerdStore() const;
    /// Returns true when the engine remaps users (user namespaces).
    bool userns() const;
};

} // namespace hoist::engine
