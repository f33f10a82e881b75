#pragma once

#include <string>

namespace hoist::base
{

/// Returns the SHA-256 of bytes as 64 lower-case hex digits.
std::string sha256Hex(const std::string& bytes);

} // namespace hoist::base
