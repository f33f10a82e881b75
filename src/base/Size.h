#pragma once

#include <optional>
#include <string>

namespace hoist::base
{

/// Parses a size as docker's units.RAMInBytes does: bytes, or a number with k, m, g, t or p
/// (powers of 1024; "b", "ib" and a space before the unit allowed: "512m", "1.5g", "1GiB").
/// Returns nothing for anything else, a negative number included.
std::optional<long long> parseSize(const std::string& text);

} // namespace hoist::base
