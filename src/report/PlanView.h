#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hoist::report
{

/// What `hoist plan` shows, as plain data.
struct PlanFacts
{
    std::string ci;     /// "github", "gitlab", "local"
    std::string runUrl; /// "" when unknown
    std::string session;
    std::string builder;
    std::string builderOrigin; /// how the builder's name was chosen
    std::string container;
    std::string volume;
    std::string image;
    std::string context;
    std::size_t contextFiles = 0;
    unsigned long long contextBytes = 0;
    bool remoteContext = false; /// the context is a URL BuildKit fetches
    std::string dockerfile;
    /// Every resolved option: its name, its values, where they came from.
    struct Value
    {
        std::string name;
        std::vector<std::string> values;
        std::string origin;
    };
    std::vector<Value> options;
    std::vector<std::string> ciDefaults;
    std::string provenance; /// "" when none
    std::vector<std::string> notes;
    std::vector<std::vector<std::string>> buildx; /// the same with docker buildx, argv each
};

/// Renders `hoist plan`'s text.
class PlanView
{
public:
    /// Returns the plan as text: the CI context, the builder, the resolved options with their
    /// origins, and the equivalent docker buildx commands, shell-quoted.
    static std::string text(const PlanFacts& facts);
};

} // namespace hoist::report
