#pragma once

#include "buildrun/BuildStep.h"

#include <ostream>
#include <string>

namespace hoist::report
{

/// Prints build steps as buildx's plain lines ("#3 [2/3] RUN make", "#3 output", "#3 DONE
/// 1.2s", "#3 CACHED", "#3 ERROR: …"), or with Quiet failures only. Then a summary: steps
/// cached of total, the slowest steps, context sent, time; failed steps with their log tail.
/// On a terminal (Tty) the live panel (LivePanel) shows the steps instead; the summary is the
/// same.
class ProgressPrinter
{
public:
    enum class Mode
    {
        Plain,
        Tty,
        Quiet,  /// failures only (--progress quiet or none, -q)
        RawJson /// buildctl's SolveStatus lines as they come, as buildx's rawjson prints them
    };

    /// A printer writing to out (stderr).
    ProgressPrinter(std::ostream& out, Mode mode);

    /// Returns the mode for --progress value on a stream that isTerminal or not
    /// ("auto" is tty on a terminal whose TERM is not "dumb", else plain).
    static Mode modeFor(const std::string& value, bool isTerminal);

    /// Prints one event.
    void event(const buildrun::StepEvent& e);

    /// Prints the summary.
    void summary(const buildrun::BuildSummary& s);

private:
    void warnings(const std::vector<buildrun::BuildWarning>& list);

    std::ostream& _out;
    Mode _mode;
};

} // namespace hoist::report
