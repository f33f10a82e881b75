// This file implements what a builder spec derives: buildx's node, container and state volume
// names, the files under /etc/buildkit, and the digest of everything that shapes the container.

#include "builder/BuilderSpec.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>

namespace hoist::builder
{

std::string BuilderSpec::nodeName() const
{
    return node.empty() ? Poco::toLower(name) + "0" : node;
}

std::string BuilderSpec::containerName() const
{
    if (!container.empty())
        return container;
    return "buildx_buildkit_" + nodeName();
}

std::string BuilderSpec::volumeName() const
{
    return containerName() + "_state";
}

std::map<std::string, std::string> BuilderSpec::files() const
{
    std::map<std::string, std::string> all = config.files();
    for (const auto& [path, content] : extraFiles)
        all[path] = content;
    return all;
}

std::string BuilderSpec::configDigest(SecurityMode mode) const
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    auto add = [&](const std::string& s)
    {
        sha.update(std::to_string(s.size()) + ":");
        sha.update(s);
    };
    add(engine::securityModeName(mode));
    for (const auto& [k, v] : opts.raw)
    {
        // provenance-add-gha and default-load do not shape the container.
        if (k == "provenance-add-gha" || k == "default-load")
            continue;
        add(k);
        add(v);
    }
    add(opts.image);
    for (const auto& f : flags)
        add(f);
    for (const auto& [path, content] : files())
    {
        add(path);
        add(content);
    }
    return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 16);
}

} // namespace hoist::builder
