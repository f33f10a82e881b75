#pragma once
// This file defines how an option of the table is bound to its typed member of Options
// (OptionSpec::into): the one way a parsed value reaches the modules. Included where the
// table is made.

#include "base/Duration.h"
#include "base/Strings.h"
#include "cli/OptionSpec.h"
#include "cli/Options.h"

namespace hoist::cli
{

namespace binding
{

/// Returns how the option name (set too by the action input input, "" none) got its value v.
Source sourceOf(const std::string& name, const std::string& input, const OptionValue& v);

inline void convert(const OptionValue& v, std::string& out)
{
    out = v.values.empty() ? "" : v.values.back();
}

inline void convert(const OptionValue& v, std::vector<std::string>& out)
{
    out = v.values;
}

inline void convert(const OptionValue& v, bool& out)
{
    bool ok = false;
    out = !v.values.empty() && base::parseBool(v.values.back(), ok) && ok;
}

// The table validated the text; a value it lacks (an option of another command) is 0.
inline void convert(const OptionValue& v, Poco::Timespan& out)
{
    auto d = base::parseDuration(v.values.empty() ? "" : v.values.back());
    out = d ? *d : Poco::Timespan();
}

} // namespace binding

template <class Group, class T>
OptionSpec& OptionSpec::into(Group Options::*group, Given<T> Group::*member)
{
    assigns.push_back(
        [group, member, option = name,
         input = inputs.empty() ? "" : inputs.back().name](Options& o, const OptionValue& v)
        {
            Given<T>& given = (o.*group).*member;
            binding::convert(v, given.value);
            given.source = binding::sourceOf(option, input, v);
        });
    if (!sourceIn)
        sourceIn = [group, member](const Options& o) -> const Source&
        { return ((o.*group).*member).source; };
    return *this;
}

} // namespace hoist::cli
