#pragma once
// Small string helpers that Poco/String.h does not have, shared by every module.

#include <string>
#include <vector>

namespace hoist::base
{

/// Splits s at every sep; keeps empty fields. split("", ',') is one empty field.
std::vector<std::string> split(const std::string& s, char sep);

/// Splits s at every sep, trims each field and drops the empty ones.
std::vector<std::string> splitTrimmed(const std::string& s, char sep);

/// Joins parts with sep between them.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

/// Returns true when s starts with prefix.
bool startsWith(const std::string& s, const std::string& prefix);

/// Returns true when s ends with suffix.
bool endsWith(const std::string& s, const std::string& suffix);

/// Returns the Damerau-free Levenshtein distance between a and b.
std::size_t editDistance(const std::string& a, const std::string& b);

/// Returns the candidate closest to word when it is close enough to be a likely typo
/// (distance at most a third of the word, at least 2, or a prefix match); else "".
std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates);

/// Returns s in double quotes, with quotes, backslashes and control characters escaped,
/// the form hoist uses for user values in messages.
std::string quoted(const std::string& s);

/// Returns digits random lowercase hex digits from the system's random source, for names and
/// tokens that must not repeat or be guessed.
std::string randomHex(std::size_t digits);

/// Parses a boolean the way buildx and the GitHub actions accept it
/// (true/false, 1/0, yes/no, on/off; case-insensitive). Returns false in ok when it is none.
bool parseBool(const std::string& s, bool& ok);

} // namespace hoist::base
