// This file implements GitHub Actions' runner protocol for one step: workflow commands written
// through the command fence, records appended to the step's output, state and environment files
// with a random heredoc delimiter, and Markdown appended to the job summary.

#include "report/GitHubCommands.h"

#include "base/Files.h"
#include "base/Strings.h"
#include "report/CommandFence.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>

#include <sstream>

namespace hoist::report
{

GitHubCommands::GitHubCommands(std::ostream& out, std::string outputFile, std::string summaryFile,
                               std::string stateFile, std::string envFile)
    : _out(out),
      _outputFile(std::move(outputFile)),
      _summaryFile(std::move(summaryFile)),
      _stateFile(std::move(stateFile)),
      _envFile(std::move(envFile))
{
}

std::string GitHubCommands::escape(const std::string& s, bool property)
{
    std::string out;
    for (char c : s)
    {
        if (c == '%')
            out += "%25";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else if (property && c == ':')
            out += "%3A";
        else if (property && c == ',')
            out += "%2C";
        else
            out += c;
    }
    return out;
}

void GitHubCommands::mask(const std::string& value)
{
    if (!value.empty())
        CommandFence::command(_out, "::add-mask::" + escape(value));
}

void GitHubCommands::group(const std::string& title)
{
    CommandFence::command(_out, "::group::" + escape(title));
}

void GitHubCommands::endGroup()
{
    CommandFence::command(_out, "::endgroup::");
}

std::string GitHubCommands::stopCommands()
{
    const std::string token = "hoist-" + base::randomHex(24);
    CommandFence::command(_out, "::stop-commands::" + token);
    return token;
}

void GitHubCommands::resume(const std::string& token)
{
    CommandFence::command(_out, "::" + token + "::");
}

void GitHubCommands::error(const std::string& message, const std::string& file, int line)
{
    std::string command = "::error";
    if (!file.empty())
    {
        command += " file=" + escape(file, true);
        if (line > 0)
            command += ",line=" + std::to_string(line);
    }
    CommandFence::command(_out, command + "::" + escape(message));
}

void GitHubCommands::warning(const std::string& message, const std::string& file, int line,
                             const std::string& title)
{
    std::vector<std::string> properties;
    if (!file.empty())
        properties.push_back("file=" + escape(file, true));
    if (!file.empty() && line > 0)
        properties.push_back("line=" + std::to_string(line));
    if (!title.empty())
        properties.push_back("title=" + escape(title, true));
    CommandFence::command(_out, "::warning" +
                                    (properties.empty() ? "" : " " + base::join(properties, ",")) +
                                    "::" + escape(message));
}

void GitHubCommands::appendRecord(const std::string& file, const std::string& what,
                                  const std::string& name, const std::string& value)
{
    if (file.empty())
        return;
    std::string delimiter = "ghadelimiter_" + base::randomHex(24);
    while (value.find(delimiter) != std::string::npos)
        delimiter = "ghadelimiter_" + base::randomHex(24);
    base::appendFile(file, name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n", what);
}

void GitHubCommands::setOutput(const std::string& name, const std::string& value)
{
    appendRecord(_outputFile, "the step output file", name, value);
}

void GitHubCommands::saveState(const std::string& name, const std::string& value)
{
    appendRecord(_stateFile, "the step state file", name, value);
}

void GitHubCommands::exportVariable(const std::string& name, const std::string& value)
{
    appendRecord(_envFile, "the job environment file", name, value);
}

void GitHubCommands::useBuilder(const std::string& builder)
{
    exportVariable("HOIST_BUILDER", builder);
}

void GitHubCommands::appendSummary(const std::string& markdown)
{
    if (_summaryFile.empty())
        return;
    base::appendFile(_summaryFile, markdown, "the job summary");
}

} // namespace hoist::report
