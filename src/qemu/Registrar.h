#pragma once

#include "engine/EngineClient.h"
#include "engine/RegistryAuth.h"
#include "qemu/BinfmtRegistry.h"
#include "qemu/Hints.h"

#include <functional>
#include <string>
#include <vector>

namespace hoist::qemu
{

/// How setup registers QEMU.
enum class Mode
{
    Auto,  /// the installer image when it is there or no host emulator is, else the host's
    Image, /// the installer image (tonistiigi/binfmt), as docker/setup-qemu-action does
    Host,  /// the host's qemu-user-static (an engine on this machine only)
    Off    /// none: say which platforms will fail
};

/// Returns the mode named as the user names it: "image", "host", "off", anything else auto (the
/// option table checked the name).
Mode modeNamed(const std::string& name);

/// The QEMU part of setup: which requested platforms need an emulator on the engine, and
/// registering them per Mode. BuildKit lists the platforms it can run when it starts, so this
/// runs before the builder starts.
class Registrar
{
public:
    /// Receives what was done ("QEMU: registered aarch64 with …") and warnings.
    using Note = std::function<void(const std::string&)>;

    /// A registrar on client's engine; auth gives the installer image's credentials; hints
    /// name the other modes in messages.
    Registrar(engine::EngineClient& client, const engine::RegistryAuth& auth, Hints hints,
              Note note, Note warn);

    /// Says nothing when every platform is native or emulated already (a build's check, which
    /// runs every time); setup says so.
    Registrar& quietWhenReady();

    /// Makes sure the engine can run every platform: registers what is missing with mode and
    /// the installer image; where the engine's kernel is not visible here, a container of
    /// builderImage (when present) reads its registrations. Returns the emulated platforms.
    /// Throws base::UnavailableException when a needed emulator cannot be registered.
    std::vector<std::string> run(const std::vector<std::string>& platforms, Mode mode,
                                 const std::string& image, const std::string& builderImage);

    /// Makes run() register what it can of the platforms, as setup-qemu-action's "all" does:
    /// the installer image gets "all"; from the host, an emulator the host lacks is named in
    /// a note instead of failing.
    Registrar& everyAvailable();

    /// Removes every qemu-* registration of the engine's kernel (setup-qemu-action's reset),
    /// through the installer image or, on this machine, the host's binfmt_misc, as mode asks.
    /// Throws base::UnavailableException when it cannot.
    void reset(Mode mode, const std::string& image, const std::string& builderImage);

    /// Returns the platforms the engine runs now, natively or with an emulator registered with
    /// the F flag, in the order of Emulation::every() (setup-qemu-action's platforms output).
    std::vector<std::string> available(const std::string& builderImage);

private:
    bool useImage(Mode mode, const std::string& image, const std::string& firstMissing, bool local);
    bool local() const;
    BinfmtRegistry registry(const std::string& builderImage);
    std::vector<std::string> installable(const std::vector<std::string>& missing, bool image);

    engine::EngineClient& _client;
    const engine::RegistryAuth& _auth;
    Hints _hints;
    Note _note;
    Note _warn;
    bool _sayReady = true;
    bool _every = false;
};

} // namespace hoist::qemu
