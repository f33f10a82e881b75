// This file implements how a --call request's answer reads.

#include "report/CallView.h"

namespace hoist::report
{

std::string CallView::text(const std::string& call, const buildrun::BuildSummary& summary)
{
    if (call != "lint")
        return summary.callResult;
    const int n = summary.callWarnings;
    return n == 0 ? "Check complete, no warnings found.\n"
                  : "Check complete, " + std::to_string(n) +
                        (n == 1 ? " warning has" : " warnings have") + " been found!\n" +
                        summary.callResult + "\n";
}

} // namespace hoist::report
