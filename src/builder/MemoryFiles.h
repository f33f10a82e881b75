#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// Values handed to a process in a builder as files that exist only in memory: hoist's helper
/// (`hoist __files N -- CMD…`) reads them from its stdin, puts each in a memfd at descriptor
/// 3, 4, … and executes CMD, which reads them as /proc/self/fd/3, … . Nothing reaches argv,
/// the environment, the container's layer or the state volume, and the files go when CMD
/// ends. For build secrets of any size and content (buildctl --secret src=…).
class MemoryFiles
{
public:
    /// The helper's command name (its first argument).
    static const char* const COMMAND;

    /// Returns the path under which CMD reads the i-th value.
    static std::string path(std::size_t i);

    /// Returns the helper's argv that runs cmd with count values.
    static std::vector<std::string> argv(const std::string& helper, std::size_t count,
                                         const std::vector<std::string>& cmd);

    /// Writes values for the helper's stdin: each as an 8-byte big-endian length, then its
    /// bytes.
    static std::string frame(const std::vector<std::string>& values);

    /// Runs as `hoist __files N -- CMD…` in the builder: reads N values from stdin, then
    /// executes CMD with them at descriptors 3… and stdin on /dev/null. Returns only on
    /// failure: 127 (said on err).
    static int main(const std::vector<std::string>& args, std::istream& in, std::ostream& err);
};

} // namespace hoist::builder
