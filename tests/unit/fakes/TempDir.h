#pragma once

#include <string>

namespace hoist::test
{

/// A temporary directory removed with everything in it when the object goes.
class TempDir
{
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Returns the directory's path.
    const std::string& path() const;

    /// Writes content to the relative path rel, creating its directories.
    void write(const std::string& rel, const std::string& content);

private:
    std::string _path;
};

} // namespace hoist::test
