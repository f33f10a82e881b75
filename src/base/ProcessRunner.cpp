// This file implements running a local program (docker credential helpers): the PATH lookup,
// the launch with a given environment and stdin, and its exit code and output collected.

#include "base/ProcessRunner.h"

#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"

#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace hoist::base
{

std::string ProcessRunner::which(const std::string& program, const Env& env)
{
    if (program.find('/') != std::string::npos)
        return Poco::File(program).exists() ? program : "";
    for (const auto& dir : split(env.getOr("PATH", "/usr/local/bin:/usr/bin:/bin"), ':'))
    {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        Poco::File f(candidate);
        if (f.exists() && f.isFile() && f.canExecute())
            return candidate;
    }
    return "";
}

ProcessResult ProcessRunner::run(const std::vector<std::string>& argv, const Env& env,
                                 const std::string& input)
{
    std::string path = which(argv.at(0), env);
    if (path.empty())
        throw UnavailableException("cannot run " + quoted(argv[0]) + ": not found in PATH");
    Log::get("base").debug("run %s", join(argv, " "));
    Poco::Process::Args args(argv.begin() + 1, argv.end());
    Poco::Process::Env penv(env.all().begin(), env.all().end());
    Poco::Pipe in, out, err;
    ProcessResult result;
    try
    {
        Poco::ProcessHandle handle = Poco::Process::launch(path, args, "", &in, &out, &err, penv);
        {
            Poco::PipeOutputStream toChild(in);
            toChild << input;
        }
        in.close(Poco::Pipe::CLOSE_WRITE);
        Poco::PipeInputStream fromOut(out);
        Poco::StreamCopier::copyToString(fromOut, result.out);
        Poco::PipeInputStream fromErr(err);
        Poco::StreamCopier::copyToString(fromErr, result.err);
        result.exitCode = handle.wait();
    }
    catch (const Poco::SystemException& e)
    {
        throw UnavailableException("cannot run " + quoted(path) + ": " + e.displayText());
    }
    return result;
}

} // namespace hoist::base
