#pragma once

#include <string>

namespace hoist::plan
{

/// What planning may know of this machine's files: whether a path is there and what it is,
/// and the text of small files (a .dockerignore, a buildkitd.toml). The plan is pure given a
/// view; LocalFiles is the real one, tests give a map.
class FileView
{
public:
    /// What a path is.
    enum class Kind
    {
        Missing,
        Directory,
        Regular,
        Other /// a fifo, a device, a socket: never a Dockerfile or a context
    };

    virtual ~FileView() = default;

    /// Returns what path is (symlinks followed).
    virtual Kind kind(const std::string& path) const = 0;

    /// Returns the text of the regular file at path. Throws Poco::FileException.
    virtual std::string read(const std::string& path) const = 0;

    /// Returns path made absolute against the working directory, normalized.
    virtual std::string absolute(const std::string& path) const = 0;
};

} // namespace hoist::plan
