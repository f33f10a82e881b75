// This file implements the typed view of a parsed command: each option's value reaches its
// member through the table's binding (cli/OptionBinding.h), never by its name.

#include "cli/Options.h"

#include "cli/OptionBinding.h"
#include "cli/OptionTable.h"

#include <Poco/String.h>

#include <algorithm>

namespace hoist::cli
{

Source binding::sourceOf(const std::string& name, const std::string& inputName,
                         const OptionValue& v)
{
    Source s;
    s.origin = v.origin;
    s.flag = "--" + name;
    s.variable = "HOIST_" + Poco::toUpper(name);
    std::replace(s.variable.begin(), s.variable.end(), '-', '_');
    s.input = inputName;
    s.name = s.flag;
    s.raw = v.values;
    s.typed = v.source;
    const std::string input = "INPUT_";
    if (v.origin == Origin::Env)
        s.name = v.source;
    else if (v.origin == Origin::Input && base::startsWith(v.source, input))
        s.name = "the action input " + Poco::toLower(v.source.substr(input.size()));
    return s;
}

Options Options::from(const ParsedCommand& parsed)
{
    Options o;
    o.command = parsed.command();
    o.positionals = parsed.positionals();
    const OptionValue none;
    for (const auto& spec : OptionTable::instance().options())
    {
        auto it = parsed.values().find(spec.name);
        for (const auto& assign : spec.assigns)
            assign(o, it == parsed.values().end() ? none : it->second);
    }
    const bool context = !parsed.positionals().empty();
    o.build.context = {
        context ? parsed.positionals().front() : ".",
        {context ? Origin::Flag : Origin::Default, "the build context", "CONTEXT", {}, "", ""}};
    o.merge.sources = {parsed.positionals(), {Origin::Flag, "SOURCE", "SOURCE", {}, "", ""}};
    o.warnings = parsed.warnings();
    return o;
}

void Options::each(const std::function<void(const std::string&, const Source&)>& f) const
{
    for (const auto& spec : OptionTable::instance().options())
    {
        if (spec.sourceIn)
            f(spec.name, spec.sourceIn(*this));
    }
}

} // namespace hoist::cli
