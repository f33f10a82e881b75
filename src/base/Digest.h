#pragma once

#include <string>

namespace hoist::base
{

/// Returns the SHA-256 of bytes as 64 lower-case hex digits.
std::string sha256Hex(const std::string& bytes);

/// Returns the SHA-256 of the file at path as 64 lower-case hex digits. Throws
/// Poco::OpenFileException or Poco::ReadFileException when it cannot be read.
std::string sha256OfFile(const std::string& path);

} // namespace hoist::base
