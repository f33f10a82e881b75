#pragma once

#include "base/Env.h"

#include <string>
#include <vector>

namespace hoist::ci
{

/// Local reproduction of a CI build: --capture-env writes what hoist used from the CI (its
/// variables, the GitHub event payload, hoist's own arguments and variables) without any
/// secret; --ci-env replays it on a laptop, so the same image, platforms, args, tags, cache refs
/// and provenance context come out.
class CiCapture
{
public:
    /// Returns the capture of env and args as JSON. Variables that hold secrets (tokens,
    /// passwords, keys) and the runner's per-step files are left out.
    static std::string capture(const base::Env& env, const std::vector<std::string>& args);

    /// Reads a capture, given as option: returns env with the captured variables laid over it,
    /// and sets args to the captured arguments. The event payload is written to eventFile and
    /// GITHUB_EVENT_PATH points there. Throws base::ConfigException, naming option, for a file
    /// that is not a capture.
    static base::Env replay(const std::string& file, const std::string& option,
                            const base::Env& env, std::vector<std::string>& args,
                            const std::string& eventFile);

    /// Returns true when a variable named name is part of the CI context worth capturing and
    /// holds no secret.
    static bool captured(const std::string& name);
};

} // namespace hoist::ci
