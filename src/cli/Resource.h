#pragma once

#include "cli/OptionSpec.h"

#include <string>

namespace hoist::cli
{

/// buildx's --resource KEY=VALUE (and docker build's -m, --cpu-shares …) as the Dockerfile
/// frontend's attribute and value: memory sizes in bytes, -1 for unlimited swap.
struct Resource
{
    std::string attr;  /// e.g. "memory", "cpushares"; "" for a zero limit, which buildx omits
    std::string value; /// e.g. "2147483648"

    /// Reads text; sets problem (what is wrong and the form expected) when it cannot.
    static Resource read(const std::string& text, std::string& problem);

    /// Accepts what read() reads.
    static Validator check();
};

} // namespace hoist::cli
