#pragma once

#include "base/Problem.h"

#include <string>
#include <vector>

namespace hoist::test
{

/// Returns the problems as the user reads them, one a line of the report.
inline std::vector<std::string> messages(const base::Problems& problems)
{
    std::vector<std::string> out;
    for (const auto& p : problems)
        out.push_back(p.message());
    return out;
}

} // namespace hoist::test
