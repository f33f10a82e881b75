#pragma once

#include <map>
#include <ostream>
#include <string>

namespace hoist::builder
{

/// The tar buildx copies to /etc before a builder starts: rooted at
/// "buildkit/", every parent directory first (sorted, 0755), then the files (sorted, 0644),
/// owner 0:0.
class ConfigArchive
{
public:
    /// Writes files (path relative to /etc/buildkit → content) to out. Throws
    /// Poco::InvalidArgumentException for an absolute path or one with "..".
    static void write(std::ostream& out, const std::map<std::string, std::string>& files);
};

} // namespace hoist::builder
