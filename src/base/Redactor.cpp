// This file implements the process-wide secret redaction: the secrets and each of their lines
// kept, and replaced by "***" in any text, longest first.

#include "base/Redactor.h"

#include <algorithm>
#include <vector>

namespace hoist::base
{

Redactor& Redactor::instance()
{
    static Redactor redactor;
    return redactor;
}

void Redactor::add(const std::string& secret)
{
    if (secret.size() < 4)
        return;
    std::lock_guard<std::mutex> lock(_mutex);
    _secrets.insert(secret);
    // Each line too: logs print a multi-line value a line at a time.
    std::string::size_type start = 0;
    while (start < secret.size())
    {
        auto end = secret.find_first_of(std::string("\r\n\0", 3), start);
        if (end == std::string::npos)
            end = secret.size();
        if (end - start >= 4 && end - start < secret.size())
            _secrets.insert(secret.substr(start, end - start));
        start = end + 1;
    }
}

std::string Redactor::redact(const std::string& text) const
{
    std::vector<std::string> bySize;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        bySize.assign(_secrets.begin(), _secrets.end());
    }
    // Longest first, so a secret that contains another is replaced whole.
    std::stable_sort(bySize.begin(), bySize.end(),
                     [](const std::string& a, const std::string& b)
                     { return a.size() > b.size(); });
    std::string out = text;
    for (const auto& secret : bySize)
    {
        std::string::size_type pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos)
        {
            out.replace(pos, secret.size(), "***");
            pos += 3;
        }
    }
    return out;
}

std::set<std::string> Redactor::secrets() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _secrets;
}

void Redactor::clear()
{
    std::lock_guard<std::mutex> lock(_mutex);
    _secrets.clear();
}

} // namespace hoist::base
