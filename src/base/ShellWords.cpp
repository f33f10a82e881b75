// This file implements shell words: splitting text as a POSIX shell would, without expansion,
// and quoting a word for a printed command.

#include "base/ShellWords.h"

#include <cctype>

namespace hoist::base
{

std::vector<std::string> splitShellWords(const std::string& text, bool& ok)
{
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    ok = true;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n')
        {
            if (inWord)
                words.push_back(word);
            word.clear();
            inWord = false;
        }
        else if (c == '\'')
        {
            inWord = true;
            auto end = text.find('\'', i + 1);
            if (end == std::string::npos)
            {
                ok = false;
                return words;
            }
            word += text.substr(i + 1, end - i - 1);
            i = end;
        }
        else if (c == '"')
        {
            inWord = true;
            for (++i;; ++i)
            {
                if (i >= text.size())
                {
                    ok = false;
                    return words;
                }
                if (text[i] == '"')
                    break;
                if (text[i] == '\\' && i + 1 < text.size() &&
                    (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == '$'))
                    ++i;
                word += text[i];
            }
        }
        else if (c == '\\')
        {
            if (i + 1 >= text.size())
            {
                ok = false;
                return words;
            }
            word += text[++i];
            inWord = true;
        }
        else
        {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push_back(word);
    return words;
}

std::string shellQuote(const std::string& word)
{
    if (word.empty())
        return "''";
    bool plain = true;
    for (char c : word)
    {
        plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                          std::string("-_./=:,@+%").find(c) != std::string::npos);
    }
    if (plain)
        return word;
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace hoist::base
