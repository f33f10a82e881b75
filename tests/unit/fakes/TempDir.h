#pragma once

#include <string>
#include <vector>

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

    /// Returns the content of the relative path rel ("" when it cannot be read).
    std::string read(const std::string& rel) const;

    /// Returns the names directly in the directory, sorted.
    std::vector<std::string> list() const;

private:
    std::string _path;
};

} // namespace hoist::test
