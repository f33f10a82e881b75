#pragma once

#include "engine/EngineClient.h"
#include "qemu/BinfmtRegistry.h"

#include <string>

namespace hoist::qemu
{

/// Reads the binfmt_misc registrations of the engine's kernel from the engine's side: for when
/// hoist runs where that kernel's binfmt_misc is not visible (a CI job container talking to
/// the host's engine through its socket, or an engine on another machine). A short container
/// of an image already present binds the host's /proc/sys/fs/binfmt_misc read-only and prints
/// each entry; it needs no privilege.
class EngineBinfmt
{
public:
    /// A reader running image (one with /bin/sh and cat) through client.
    EngineBinfmt(engine::EngineClient& client, std::string image);

    /// Returns the registrations; an unmounted registry when the image is not present, the
    /// host has no binfmt_misc, or the container cannot run. Never throws for those; the
    /// container is removed on every path.
    BinfmtRegistry read();

private:
    engine::EngineClient& _client;
    std::string _image;
};

} // namespace hoist::qemu
