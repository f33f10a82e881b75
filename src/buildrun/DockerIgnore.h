#pragma once

#include "base/Problem.h"

#include <string>
#include <vector>

namespace hoist::buildrun
{

/// .dockerignore patterns with moby's exact semantics (patternmatcher, ignorefile): anchored at
/// the context root, '*', '?', '[…]', '**', '\' escapes, '!' exceptions, the last matching
/// pattern wins, and a path is matched when it or any parent directory matches.
class DockerIgnore
{
public:
    /// No patterns: nothing is excluded.
    DockerIgnore() = default;

    /// Parses the file's text as ignorefile.ReadAll does (comments only at column 1, trimmed
    /// lines, cleaned paths, a leading '/' dropped). Appends a problem for a bad pattern.
    static DockerIgnore parse(const std::string& text, const std::string& source,
                              base::Problems& problems);

    /// Returns true when path (relative, '/'-separated) is excluded.
    bool excluded(const std::string& path) const;

    /// Returns true when some '!' pattern could re-include something under dir, so an excluded
    /// directory must still be walked.
    bool mayReinclude(const std::string& dir) const;

    /// Returns true when there are no patterns.
    bool empty() const;

    /// Cleans a path as Go's path.Clean does ("./a/../b/" → "b").
    static std::string clean(const std::string& path);

private:
    // How a pattern matches, as patternmatcher decides it from the pattern's characters.
    enum class Kind
    {
        Exact,
        Prefix, // ends in "**" with no wildcard before
        Suffix, // starts with "**"
        Regex
    };

    struct Pattern
    {
        std::string text;
        std::string regex; // for Kind::Regex
        Kind kind = Kind::Exact;
        bool exclusion = false;
    };

    static void compile(Pattern& p);
    static bool match(const Pattern& p, const std::string& path);

    std::vector<Pattern> _patterns;
};

} // namespace hoist::buildrun
