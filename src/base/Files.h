#pragma once

#include "base/Env.h"

#include <cstddef>
#include <optional>
#include <string>

namespace hoist::base
{

/// Writes all of data to fd, again after an interrupted or short write. Returns false on an
/// error (errno says which).
bool writeAll(int fd, const char* data, std::size_t size);

/// Appends content to the file at path (made if missing), every write checked. what names the
/// file's role in the message ("the step output file"). Throws Poco::WriteFileException:
/// "cannot write <what> <path>: <reason>".
void appendFile(const std::string& path, const std::string& content, const std::string& what);

/// Returns the content of the file at path. Throws Poco::IOException (Poco::FileException:
/// not found, access denied, a read that failed; …) naming path.
std::string readFile(const std::string& path);

/// Returns the content of the file at path; nothing when it cannot be opened or read whole.
std::optional<std::string> readFileIfExists(const std::string& path);

/// Removes what is at dirFd/name, a directory with everything in it, never following a
/// symlink (one is removed, not entered); nothing when it does not exist. shown names it in
/// messages. Throws Poco::FileException with the reason.
void removeAt(int dirFd, const std::string& name, const std::string& shown);

/// Removes path as removeAt() does; with a trailing '*' in its last component, everything in
/// its directory whose name starts with the part before it.
void removeTree(const std::string& path);

/// Makes path and the parents it lacks with mode (before the umask); one that exists, or that
/// another process makes meanwhile, is left as it is. Throws Poco::CreateFileException naming
/// the path and the reason.
void makeDirs(const std::string& path, unsigned mode);

/// Makes a new directory only this user can enter, under the temporary directory (TMPDIR),
/// named after what it is for; mkdtemp: never one that existed. Returns its path. Throws
/// Poco::CreateFileException.
std::string makePrivateDir(const std::string& what);

/// Returns the directory hoist keeps what it learns between runs on this machine:
/// $XDG_CACHE_HOME/hoist, else $HOME/.cache/hoist.
std::string cacheDir(const Env& env);

} // namespace hoist::base
