#pragma once

#include "base/Env.h"

#include <optional>
#include <string>
#include <vector>

namespace hoist::cli
{

/// A list-valued input of docker's actions, read as their toolkit reads it (Util.getList): CSV
/// records, one a line; a field in double quotes may hold commas and newlines ("" is a quote);
/// items trimmed (unless trim is false, as for `secrets`), empty ones dropped. With splitCommas
/// every field is an item; without, a record's fields are joined again with commas
/// (build-args, labels, secrets …).
class ActionList
{
public:
    /// Returns the items of text.
    static std::vector<std::string> parse(const std::string& text, bool splitCommas,
                                          bool quotes = true, bool trim = true);

    /// The `secrets` input's value for id ("KEY=VALUE" items, the value exactly as written,
    /// white space and newlines included), or std::nullopt when it names no such key.
    static std::optional<std::string> secret(const base::Env& env, const std::string& id);

    /// The environment variable of the `secrets` input.
    static const char* const SECRETS_VARIABLE;
};

} // namespace hoist::cli
