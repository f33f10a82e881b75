#pragma once

#include "build/BuildStep.h"

#include <ostream>
#include <string>

namespace hoist::report
{

/// Prints build steps as buildx's plain progress does ("#3 [2/3] RUN make", "#3 DONE 1.2s",
/// "#3 CACHED", "#3 ERROR: …", log lines as "#3 0.512 text"), and the summary at the end:
/// steps cached of total, context sent, time; failed steps with their log tail.
class ProgressPrinter
{
public:
    /// A printer writing to out (stderr); quiet prints nothing but failures.
    ProgressPrinter(std::ostream& out, bool quiet);

    /// Prints one event.
    void event(const build::StepEvent& e);

    /// Prints the summary.
    void summary(const build::BuildSummary& s);

private:
    std::ostream& _out;
    bool _quiet;
};

} // namespace hoist::report
