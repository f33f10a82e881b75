#pragma once

#include "buildrun/BuildRequest.h"

#include <string>
#include <vector>

namespace hoist::buildrun
{

/// How buildctl gets the secrets' values.
enum class SecretPassing
{
    MemoryFiles, /// files in memory at descriptors 3… (builder::MemoryFiles): any size, any bytes
    Environment  /// SECRET_<n> variables: for a builder the helper cannot run in; small text only
};

/// Turns a build request into buildctl's argv and environment, for buildctl running inside
/// the builder with the uploaded files under workDir: the context and
/// Dockerfile as locals, options as frontend opts, outputs, caches and secrets. Pure.
class BuildctlArgs
{
public:
    /// Returns the argv of `buildctl build` for request, its files under workDir, the context
    /// and Dockerfile under inputDir (workDir when empty), the context in contextDir when
    /// given (its mirror); each secret named by where buildctl reads it (never its value).
    static std::vector<std::string> argv(const BuildRequest& request, const std::string& workDir,
                                         SecretPassing secrets = SecretPassing::MemoryFiles,
                                         const std::string& inputDir = "",
                                         const std::string& contextDir = "");

    /// Returns where buildctl writes the build's metadata: an argument of every buildctl
    /// build of workDir, by which its process is found.
    static std::string metadataFile(const std::string& workDir);

    /// Returns where buildctl writes the build's ref, its key in BuildKit's build history.
    static std::string refFile(const std::string& workDir);

    /// Returns the exec environment: the gha caches' token as ACTIONS_RUNTIME_TOKEN (never argv
    /// or files), DOCKER_CONFIG pointing at configDir, the build's private registry config,
    /// and with SecretPassing::Environment each secret as SECRET_<n>.
    static std::vector<std::string> env(const BuildRequest& request, const std::string& configDir,
                                        SecretPassing secrets = SecretPassing::MemoryFiles);

    /// Returns the key BuildKit keeps its copy of the local directory dir of machine nodeId
    /// under. Its file sync sends only the files whose size, mode or mtime differ from that
    /// copy's, so the copy must be of the same directory: builds of other directories (which
    /// may hold files of the same size and mtime) never share one. Nor do two versions of the
    /// directory whose files with whole-second mtimes differ (content: their digest,
    /// ContextTar::wholeSecondDigest; "" when it has none): a rewrite of such a file that
    /// keeps its size and mtime would go unseen by the sync.
    static std::string syncKey(const std::string& nodeId, const std::string& dir,
                               const std::string& content = "");

    /// Returns the source policy (JSON, as --source-policy-file reads it) that keys the main
    /// context's copy by syncKey: the Dockerfile frontend names it "context" in every build
    /// and buildctl has no session key, so without it every build would share one copy.
    static std::string sourcePolicy(const BuildRequest& request);

    /// Returns where buildctl reads sourcePolicy() from.
    static std::string sourcePolicyFile(const std::string& workDir);

    /// Returns where the relay of ssh forwarding n's agent listens inside the builder.
    static std::string sshSocket(const std::string& workDir, std::size_t n);

    /// Returns where buildctl writes output n inside the builder ("" for image outputs).
    static std::string remoteDest(const Output& output, std::size_t n, const std::string& workDir);

    /// Returns an attribute list as buildctl's CSV ("k=v,k2=v2"), quoting fields that need it.
    static std::string csv(const Attrs& attrs);
};

} // namespace hoist::buildrun
