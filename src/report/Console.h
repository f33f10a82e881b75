#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace hoist::report
{

/// Takes a Console's notes, warnings and errors while something else owns the terminal (a live
/// panel): a note is the phase that begins, a warning or error a line to keep.
class ConsoleOverlay
{
public:
    virtual ~ConsoleOverlay() = default;
    /// A note: the phase that begins.
    virtual void phase(const std::string& text) = 0;
    /// A warning's or an error's line, as the console would print it.
    virtual void line(const std::string& text) = 0;
    /// Runs write (which prints results on stdout) with the terminal to itself.
    virtual void above(const std::function<void()>& write) = 0;
};

/// The user-facing text channel of a run: results to stdout; errors, warnings and notes
/// to stderr, each line prefixed "hoist: …". Every line passes through the Redactor.
class Console
{
public:
    /// Writes results to out and everything else to err.
    Console(std::ostream& out, std::ostream& err);

    /// Returns the stream warnings and notes go to, for writers that label their own lines
    /// (report::PrefixedLines).
    std::ostream& errors();

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

    /// Sends notes, warnings and errors to overlay instead, until set to nullptr.
    void setOverlay(ConsoleOverlay* overlay);

private:
    void lines(const std::string& prefix, const std::string& message);

    std::ostream& _out;
    std::ostream& _err;
    ConsoleOverlay* _overlay = nullptr;
};

} // namespace hoist::report
