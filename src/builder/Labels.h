#pragma once
// The labels hoist puts on the containers and volumes it makes (buildx puts none), so that
// hoist can tell its own builders, their config and their session from anyone else's.

#include <Poco/JSON/Object.h>

#include <string>

namespace hoist::builder
{

inline constexpr const char* LABEL_BUILDER = "dev.hoist.builder";
inline constexpr const char* LABEL_VERSION = "dev.hoist.version";
inline constexpr const char* LABEL_CONFIG = "dev.hoist.config";
inline constexpr const char* LABEL_SESSION = "dev.hoist.session";
inline constexpr const char* LABEL_SECURITY = "dev.hoist.security";
inline constexpr const char* LABEL_DRIVER_OPTS = "dev.hoist.driver-opts";
inline constexpr const char* LABEL_ROLE = "dev.hoist.role";

/// Returns the value of label key on container (an inspect result), "" when it has none.
inline std::string label(const Poco::JSON::Object::Ptr& container, const std::string& key)
{
    auto config = container ? container->getObject("Config") : nullptr;
    auto labels = config ? config->getObject("Labels") : nullptr;
    return labels && labels->has(key) ? labels->getValue<std::string>(key) : "";
}

} // namespace hoist::builder
