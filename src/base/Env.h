#pragma once

#include <map>
#include <optional>
#include <string>

namespace hoist::base
{

/// An immutable snapshot of environment variables. The process environment is read once,
/// by fromProcess(), the only place in hoist that reads it; everything else is handed an Env,
/// so tests construct environments explicitly.
class Env
{
public:
    using Map = std::map<std::string, std::string>;

    /// An empty environment.
    Env() = default;

    /// An environment holding exactly the given variables.
    explicit Env(Map vars);

    /// Returns a snapshot of this process's environment.
    static Env fromProcess();

    /// Returns the value of name, or nothing when it is unset. An empty value is a value.
    std::optional<std::string> get(const std::string& name) const;

    /// Returns the value of name, or fallback when it is unset or empty.
    std::string getOr(const std::string& name, const std::string& fallback) const;

    /// Returns true when name is set and not empty.
    bool has(const std::string& name) const;

    /// Returns a copy with name set to value.
    Env with(const std::string& name, const std::string& value) const;

    /// Returns a copy without name.
    Env without(const std::string& name) const;

    /// Returns every variable whose name starts with prefix.
    Map withPrefix(const std::string& prefix) const;

    /// Returns all variables.
    const Map& all() const;

private:
    Map _vars;
};

} // namespace hoist::base
