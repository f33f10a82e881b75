// This file implements the small string helpers every module shares: splitting, joining,
// typo suggestions by edit distance, quoting for messages, random hex and boolean parsing.

#include "base/Strings.h"

#include <Poco/RandomStream.h>
#include <Poco/String.h>

#include <algorithm>
#include <cstdio>

namespace hoist::base
{

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string::size_type start = 0;
    for (;;)
    {
        auto pos = s.find(sep, start);
        if (pos == std::string::npos)
        {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::vector<std::string> splitTrimmed(const std::string& s, char sep)
{
    std::vector<std::string> out;
    for (auto& field : split(s, sep))
    {
        std::string t = Poco::trim(field);
        if (!t.empty())
            out.push_back(std::move(t));
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
    {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
    {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
        {
            std::size_t up = row[j];
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates)
{
    std::string best;
    std::size_t bestDistance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates)
    {
        std::size_t d = editDistance(word, c);
        if (d < bestDistance)
        {
            best = c;
            bestDistance = d;
        }
    }
    if (best.empty() && word.size() >= 3)
    {
        for (const auto& c : candidates)
        {
            if (startsWith(c, word))
                return c;
        }
    }
    return best;
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += static_cast<char>(c);
        }
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\x%02x", c);
            out += buf;
        }
        else
            out += static_cast<char>(c);
    }
    return out + "\"";
}

std::string randomHex(std::size_t digits)
{
    static const char* HEX = "0123456789abcdef";
    Poco::RandomInputStream random;
    std::string out;
    while (out.size() < digits)
        out += HEX[random.get() & 0x0f];
    return out;
}

bool parseBool(const std::string& s, bool& ok)
{
    std::string v = Poco::toLower(Poco::trim(s));
    ok = true;
    if (v == "true" || v == "1" || v == "yes" || v == "on")
        return true;
    if (v == "false" || v == "0" || v == "no" || v == "off")
        return false;
    ok = false;
    return false;
}

} // namespace hoist::base
