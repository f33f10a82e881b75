#pragma once

#include <ostream>
#include <string>

namespace hoist::report
{

/// GitHub Actions' runner protocol for one step: workflow commands on stdout
/// (masks, groups, annotations, stop-commands around untrusted output) and the per-step files
/// (outputs and state in the heredoc form with a random delimiter, the Markdown job summary).
class GitHubCommands
{
public:
    /// Commands go to out; the files are the step's (each may be "" when the runner gave none).
    GitHubCommands(std::ostream& out, std::string outputFile, std::string summaryFile,
                   std::string stateFile, std::string envFile = "");

    /// Masks value in the job log ("::add-mask::").
    void mask(const std::string& value);

    /// Opens a collapsible group in the log.
    void group(const std::string& title);

    /// Closes the group.
    void endGroup();

    /// Stops command processing until resume() (returns the random token): echoed build output
    /// can then never inject a workflow command.
    std::string stopCommands();

    /// Resumes command processing stopped with token.
    void resume(const std::string& token);

    /// Emits an error annotation, with file and line when known.
    void error(const std::string& message, const std::string& file = "", int line = 0);

    /// Emits a warning annotation, with file, line and title when known.
    void warning(const std::string& message, const std::string& file = "", int line = 0,
                 const std::string& title = "");

    /// Sets a step output (multi-line safe).
    void setOutput(const std::string& name, const std::string& value);

    /// Saves state for the action's post step (it sees it as STATE_<name>).
    void saveState(const std::string& name, const std::string& value);

    /// Sets an environment variable for the job's later steps (GITHUB_ENV).
    void exportVariable(const std::string& name, const std::string& value);

    /// Makes builder the one later hoist steps of the job use (HOIST_BUILDER), as later
    /// `docker buildx` steps use buildx's current builder.
    void useBuilder(const std::string& builder);

    /// Appends Markdown to the job summary.
    void appendSummary(const std::string& markdown);

    /// Escapes a command's data (% CR LF) or, with property, a property value (also : and ,).
    static std::string escape(const std::string& s, bool property = false);

private:
    static void appendRecord(const std::string& file, const std::string& what,
                             const std::string& name, const std::string& value);

    std::ostream& _out;
    std::string _outputFile;
    std::string _summaryFile;
    std::string _stateFile;
    std::string _envFile;
};

} // namespace hoist::report
