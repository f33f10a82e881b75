#pragma once
// The labels hoist puts on the containers and volumes it makes (buildx puts none), so that
// hoist can tell its own builders, their config and their session from anyone else's.

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
/// On a state volume only: a random value given when the volume is made, which tells it from
/// any other volume of the same name (see BuildChannel::stateIdentity()).
inline constexpr const char* LABEL_VOLUME_ID = "dev.hoist.volume-id";

} // namespace hoist::builder
