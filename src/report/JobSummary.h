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

    /// Returns whether report's command writes a block in the job summary: a job gets one
    /// block per build (build, run) or merge, as build-push-action writes one per build; the
    /// steps around a build (setup, its post step's teardown, qemu) only when they fail.
    static bool wanted(const RunReport& report);
};

} // namespace hoist::report
