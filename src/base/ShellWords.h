#pragma once

#include <string>
#include <vector>

namespace hoist::base
{

/// Splits text into words as a POSIX shell would, without expansion: blanks separate words,
/// '…' keeps everything literally, "…" and a backslash escape the next character. Sets ok to
/// false on an unclosed quote or a trailing backslash.
std::vector<std::string> splitShellWords(const std::string& text, bool& ok);

/// Returns word quoted for a POSIX shell when it needs it (for printing commands).
std::string shellQuote(const std::string& word);

} // namespace hoist::base
