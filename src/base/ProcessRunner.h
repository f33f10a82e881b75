#pragma once

#include "base/Env.h"

#include <string>
#include <vector>

namespace hoist::base
{

/// What a finished process left behind.
struct ProcessResult
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs a local program and collects its output: the one place hoist starts a process
/// (docker credential helpers). Meant for small outputs.
class ProcessRunner
{
public:
    /// Runs argv[0] (searched in env's PATH when it has no slash) with the rest as arguments,
    /// env as its whole environment and input on its stdin. Throws base::UnavailableException
    /// when the program cannot be found or started.
    static ProcessResult run(const std::vector<std::string>& argv, const Env& env,
                             const std::string& input);

    /// Returns the path of program in env's PATH, or "" when it is not there.
    static std::string which(const std::string& program, const Env& env);
};

} // namespace hoist::base
