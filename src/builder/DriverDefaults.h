#pragma once
// Defaults of buildx's docker-container driver that hoist keeps.

namespace hoist::builder
{

/// The BuildKit image buildx's docker-container driver uses when no `image` driver-opt is given.
inline constexpr const char* DEFAULT_BUILDKIT_IMAGE = "moby/buildkit:buildx-stable-1";

} // namespace hoist::builder
