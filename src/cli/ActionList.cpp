// This file implements docker's actions' list inputs as their toolkit reads them: CSV records
// with relaxed quotes, items trimmed or not, and a `secrets` input's value looked up by id.

#include "cli/ActionList.h"

#include <Poco/String.h>

namespace hoist::cli
{

namespace
{

using Record = std::vector<std::string>;

// csv-parse with relaxQuotes: a quote opens a quoted field only at a field's start; inside
// one, "" is a quote and the closing quote ends it (what follows is kept as written).
std::vector<Record> records(const std::string& text, bool quotes)
{
    std::vector<Record> out;
    Record record;
    std::string field;
    bool quoted = false, atStart = true;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (quoted)
        {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += text[++i];
            else if (c == '"')
                quoted = false;
            else
                field += c;
            continue;
        }
        if (c == '"' && quotes && atStart)
        {
            quoted = true;
            atStart = false;
        }
        else if (c == ',' || c == '\n')
        {
            record.push_back(field);
            field.clear();
            atStart = true;
            if (c == '\n')
            {
                out.push_back(record);
                record.clear();
            }
        }
        else if (c != '\r' || i + 1 >= text.size() || text[i + 1] != '\n')
        {
            field += c;
            atStart = false;
        }
    }
    record.push_back(field);
    out.push_back(record);
    return out;
}

} // namespace

const char* const ActionList::SECRETS_VARIABLE = "INPUT_SECRETS";

std::vector<std::string> ActionList::parse(const std::string& text, bool splitCommas, bool quotes,
                                           bool trim)
{
    std::vector<std::string> items;
    for (const auto& record : records(text, quotes))
    {
        if (splitCommas || record.size() == 1)
            items.insert(items.end(), record.begin(), record.end());
        else
        {
            std::string joined;
            for (std::size_t i = 0; i < record.size(); ++i)
                joined += (i ? "," : "") + record[i];
            items.push_back(joined);
        }
    }
    std::vector<std::string> out;
    for (auto& item : items)
    {
        std::string t = trim ? Poco::trim(item) : item;
        if (!t.empty())
            out.push_back(t);
    }
    return out;
}

std::optional<std::string> ActionList::secret(const base::Env& env, const std::string& id)
{
    for (const auto& item : parse(env.getOr(SECRETS_VARIABLE, ""), false, true, false))
    {
        const auto eq = item.find('=');
        if (eq != std::string::npos && item.substr(0, eq) == id)
            return item.substr(eq + 1);
    }
    return std::nullopt;
}

} // namespace hoist::cli
