#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "cli/ParsedCommand.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// The composition root: argv and the environment in, an exit code out. The only place that
/// catches an exception to end the program; it prints "hoist: error: …" and maps the
/// exception to an exit code (docs/exit-codes.md).
class App
{
public:
    /// An application reading env and writing to out and err.
    App(base::Env env, std::ostream& out, std::ostream& err);

    /// Runs hoist with args (argv without the program name). Returns the exit code.
    int run(std::vector<std::string> args);

private:
    cli::ParsedCommand replay(std::vector<std::string>& args, const std::string& eventFile,
                              base::Problems& problems);
    void capture(const cli::ParsedCommand& cmd, const std::vector<std::string>& args);
    cli::Options typed(const cli::ParsedCommand& cmd) const;
    int dispatch(const cli::Options& options, report::Console& console, base::Problems problems);

    base::Env _env;
    std::ostream& _out;
    std::ostream& _err;
};

} // namespace hoist::app
