#pragma once

#include <mutex>
#include <set>
#include <string>

namespace hoist::base
{

/// Keeps the secret values of this run (registry passwords, tokens, build secrets) and
/// replaces them with "***" in any text before it is logged or printed. Every log line and
/// every echoed build line passes through the process-wide instance. Thread-safe.
class Redactor
{
public:
    /// Returns the process-wide instance.
    static Redactor& instance();

    /// Adds a secret, and each of its lines (split at CR, LF and NUL) on its own. Values and
    /// lines shorter than 4 characters are ignored: masking them would garble ordinary text
    /// and they protect nothing.
    void add(const std::string& secret);

    /// Returns text with every known secret replaced by "***".
    std::string redact(const std::string& text) const;

    /// Returns the known secrets, for a CI front-end that must mask them too.
    std::set<std::string> secrets() const;

    /// Forgets every secret (tests).
    void clear();

private:
    mutable std::mutex _mutex;
    std::set<std::string> _secrets;
};

} // namespace hoist::base
