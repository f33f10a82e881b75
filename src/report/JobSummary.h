#pragma once

#include "report/RunReport.h"

#include <string>

namespace hoist::report
{

/// The Markdown job summary (GitHub's step summary): the builder and whether it started warm,
/// platforms, the image digest and tags, steps cached of total, the slowest steps, the kept
/// state volume, or the error.
class JobSummary
{
public:
    /// Returns the summary of report.
    static std::string markdown(const RunReport& report);
};

} // namespace hoist::report
