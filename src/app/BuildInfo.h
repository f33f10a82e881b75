#pragma once

#include <string>

namespace hoist::app
{

/// Facts about this binary, fixed when it was built.
struct BuildInfo
{
    std::string version;    /// hoist's version, from the VERSION file
    std::string commit;     /// git commit the binary was built from, "+dirty" when modified
    std::string commitDate; /// the commit's date (ISO 8601), so builds stay reproducible
    std::string poco;       /// Poco's version, e.g. "1.11.0"
    std::string compiler;   /// e.g. "g++ 12.2.0"
    std::string linkage;    /// "static" or "dynamic"
    std::string platform;   /// e.g. "linux/amd64"

    /// Returns this binary's build information.
    static BuildInfo current();
};

} // namespace hoist::app
