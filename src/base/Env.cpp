// This file implements the environment snapshot: the one read of the process environment, and
// the lookups and copies every other part of hoist uses instead.

#include "base/Env.h"

#include <cstring>

extern char** environ;

namespace hoist::base
{

Env::Env(Map vars) : _vars(std::move(vars)) {}

Env Env::fromProcess()
{
    Map vars;
    for (char** entry = environ; entry && *entry; ++entry)
    {
        const char* eq = std::strchr(*entry, '=');
        if (!eq)
            continue;
        vars.emplace(std::string(*entry, eq - *entry), std::string(eq + 1));
    }
    return Env(std::move(vars));
}

std::optional<std::string> Env::get(const std::string& name) const
{
    auto it = _vars.find(name);
    if (it == _vars.end())
        return std::nullopt;
    return it->second;
}

std::string Env::getOr(const std::string& name, const std::string& fallback) const
{
    auto it = _vars.find(name);
    return it == _vars.end() || it->second.empty() ? fallback : it->second;
}

bool Env::has(const std::string& name) const
{
    auto it = _vars.find(name);
    return it != _vars.end() && !it->second.empty();
}

Env Env::with(const std::string& name, const std::string& value) const
{
    Map vars = _vars;
    vars[name] = value;
    return Env(std::move(vars));
}

Env Env::without(const std::string& name) const
{
    Map vars = _vars;
    vars.erase(name);
    return Env(std::move(vars));
}

Env::Map Env::withPrefix(const std::string& prefix) const
{
    Map out;
    for (auto it = _vars.lower_bound(prefix); it != _vars.end(); ++it)
    {
        if (it->first.compare(0, prefix.size(), prefix) != 0)
            break;
        out.insert(*it);
    }
    return out;
}

const Env::Map& Env::all() const
{
    return _vars;
}

} // namespace hoist::base
