#pragma once

#include "engine/EngineClient.h"
#include "qemu/Hints.h"

#include <string>
#include <vector>

namespace hoist::qemu
{

/// Installs QEMU emulators the way docker/setup-qemu-action does: runs the binfmt image
/// (tonistiigi/binfmt) with --install in a privileged container on the engine (with the
/// capability fallback where the engine refuses privileged containers). The image exits 0 even
/// when an install fails, so its output is read for each architecture.
class ImageInstaller
{
public:
    /// An installer using image through client; hints name the other ways in messages.
    ImageInstaller(engine::EngineClient& client, std::string image, Hints hints);

    /// Pulls the image when missing (registryAuth for X-Registry-Auth, "" for none) and
    /// installs archs (QEMU names). Throws base::UnavailableException naming the architectures
    /// that failed and the image's words. The container is removed on every path.
    void install(const std::vector<std::string>& archs, const std::string& registryAuth);

    /// Returns what the image's output reports as failed: each line "installing: <arch> …"
    /// that does not end in "OK", without the prefix.
    static std::vector<std::string> failures(const std::string& output);

    /// Uninstalls every qemu-* registration, as setup-qemu-action's reset does (the image with
    /// --uninstall qemu-*). Throws base::UnavailableException when the image cannot be had
    /// or run.
    void uninstall(const std::string& registryAuth);

private:
    void ensureImage(const std::string& registryAuth);
    std::string runImage(const std::vector<std::string>& args);

    engine::EngineClient& _client;
    std::string _image;
    Hints _hints;
};

} // namespace hoist::qemu
