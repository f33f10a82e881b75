#include "report/GitHubCommands.h"

#include "base/Files.h"
#include "base/Strings.h"

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
        _out << "::add-mask::" << escape(value) << "\n" << std::flush;
}

void GitHubCommands::group(const std::string& title)
{
    _out << "::group::" << escape(title) << "\n" << std::flush;
}

void GitHubCommands::endGroup()
{
    _out << "::endgroup::\n" << std::flush;
}

std::string GitHubCommands::stopCommands()
{
    const std::string token = "hoist-" + base::randomHex(24);
    _out << "::stop-commands::" << token << "\n" << std::flush;
    return token;
}

void GitHubCommands::resume(const std::string& token)
{
    _out << "::" << token << "::\n" << std::flush;
}

void GitHubCommands::error(const std::string& message, const std::string& file, int line)
{
    _out << "::error";
    if (!file.empty())
    {
        _out << " file=" << escape(file, true);
        if (line > 0)
            _out << ",line=" << line;
    }
    _out << "::" << escape(message) << "\n" << std::flush;
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
