#pragma once

#include <string>

namespace hoist::base
{

/// Returns bytes in standard base64 (RFC 4648 §4, padded), on one line: as Docker's config
/// (auths' "auth"), buildx's store and BuildKit's status JSON write it.
std::string toBase64(const std::string& bytes);

/// Returns the bytes text holds in standard base64, padded or not; a damaged value decodes up
/// to the damage, never throws.
std::string fromBase64(const std::string& text);

} // namespace hoist::base
