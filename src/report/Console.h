#pragma once

#include <ostream>
#include <string>

namespace hoist::report
{

/// The user-facing text channel of a run: results to stdout; errors, warnings and notes
/// to stderr, each line prefixed "hoist: …". Every line passes through the Redactor.
class Console
{
public:
    /// Writes results to out and everything else to err.
    Console(std::ostream& out, std::ostream& err);

    /// Writes text to stdout as it is (redacted).
    void print(const std::string& text);

    /// Writes an error: each line "hoist: error: …", except lines starting with "see " or
    /// "hint: " (guidance) and "| " (quoted output, e.g. a container's log), which are
    /// printed as "hoist: …".
    void error(const std::string& message);

    /// Writes a warning: "hoist: warning: …".
    void warning(const std::string& message);

    /// Writes a note about progress: "hoist: …".
    void note(const std::string& message);

private:
    void lines(const std::string& prefix, const std::string& message);

    std::ostream& _out;
    std::ostream& _err;
};

} // namespace hoist::report
