#pragma once

#include "builder/BuilderEngine.h"

#include <string>

namespace hoist::builder
{

/// hoist's own static binary in a builder container, where holds (see Hold) and cleaning run
/// whatever the BuildKit image holds — Alpine, busybox or a custom image without a shell.
/// Uploaded once per container, under a name that changes with the binary.
class Helper
{
public:
    /// The helper of container, on engine.
    Helper(BuilderEngine& engine, std::string container);

    /// Returns the helper's path in the container, uploading this binary on first use; "" when
    /// it cannot run there (the engine's CPU is not this binary's) or cannot be put there (the
    /// reason is logged). Never throws for those.
    std::string path();

    /// Returns this binary's architecture as Docker names it ("amd64", "arm64").
    static std::string ownArch();

    /// Returns where path() puts this binary in a container ("" when it cannot be read), so a
    /// container can be created to run it before it is uploaded.
    static std::string pathInContainer();

private:
    BuilderEngine& _engine;
    std::string _container;
    std::string _path;
    bool _tried = false;
};

} // namespace hoist::builder
