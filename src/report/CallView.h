#pragma once

#include "buildrun/BuildStep.h"

#include <string>

namespace hoist::report
{

/// How a --call request's answer reads, as buildx prints it: the frontend's answer as it is
/// (outline, targets), or for a check the count of warnings and their report.
class CallView
{
public:
    /// Returns what `hoist build --call CALL` prints on stdout for summary (call as buildctl
    /// names it: "lint" for check).
    static std::string text(const std::string& call, const buildrun::BuildSummary& summary);
};

} // namespace hoist::report
