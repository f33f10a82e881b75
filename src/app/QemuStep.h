#pragma once

#include "engine/EngineClient.h"
#include "engine/RegistryAuth.h"
#include "report/Console.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// The QEMU part of setup: which requested platforms need an emulator, and registering them
/// through the binfmt image or the host's qemu-user-static, per --qemu.
class QemuStep
{
public:
    /// Returns every platform named in the --platform values (comma lists), or problems for
    /// ones QEMU has no emulator for.
    static std::vector<std::string> platforms(const std::vector<std::string>& values,
                                              std::vector<std::string>& problems);

    /// Makes sure the engine can run every platform: registers what is missing with mode
    /// ("auto", "image", "host", "off") and the installer image, and says what it did; where
    /// the engine's kernel is not visible here, a container of builderImage (when present)
    /// reads its registrations. Returns the emulated platforms.
    /// Throws base::UnavailableException when a needed emulator cannot be registered.
    static std::vector<std::string> run(engine::EngineClient& client,
                                        const engine::RegistryAuth& auth,
                                        const std::vector<std::string>& platforms,
                                        const std::string& mode, const std::string& image,
                                        const std::string& builderImage, report::Console& console);
};

} // namespace hoist::app
