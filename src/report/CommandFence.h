#pragma once

#include <ostream>
#include <streambuf>
#include <string>

namespace hoist::report
{

/// Makes every line written to a stream safe from GitHub Actions' workflow-command parsing,
/// whatever the text holds (a CI value with a newline, a build's log, a file name): a line the
/// runner could take for a command (one holding "::" or "##[") is written between
/// `::stop-commands::TOKEN` and `::TOKEN::`, so it shows as written and does nothing. hoist's
/// own commands pass through command(). Installed on a stream for its lifetime.
class CommandFence : public std::streambuf
{
public:
    /// Fences what is written to stream from now on, until destroyed.
    explicit CommandFence(std::ostream& stream);

    /// Writes any unfinished line, and gives stream its buffer back.
    ~CommandFence() override;

    CommandFence(const CommandFence&) = delete;
    CommandFence& operator=(const CommandFence&) = delete;

    /// Writes line (a workflow command, without its newline) to out as it is: through the
    /// fence when one is installed on out, after the lines written before it.
    static void command(std::ostream& out, const std::string& line);

    /// Returns true when the runner could read line as a workflow command.
    static bool risky(const std::string& line);

protected:
    int overflow(int c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    void writeLine(const std::string& line, bool newline);
    void raw(const std::string& line);

    std::ostream& _stream;
    std::streambuf* _target;
    std::string _pending;
    std::string _stoppedBy; /// the token of a stop-commands hoist itself issued, while it holds
};

} // namespace hoist::report
