// This file implements --driver-opt parsing for the docker-container driver: the keys, forms
// and defaults of buildx's driver/docker-container/factory.go, with hoist's own messages.

#include "builder/DriverOpts.h"

#include "base/Size.h"

#include "base/Strings.h"
#include "builder/DriverDefaults.h"
#include "engine/ImageRef.h"

#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

#include <algorithm>
#include <cmath>

namespace hoist::builder
{

namespace
{

const std::vector<std::string> KEYS = {"image",
                                       "network",
                                       "memory",
                                       "memory-swap",
                                       "cpu-quota",
                                       "cpu-period",
                                       "cpu-shares",
                                       "cpuset-cpus",
                                       "cpuset-mems",
                                       "cgroup-parent",
                                       "restart-policy",
                                       "default-load",
                                       "provenance-add-gha",
                                       "allow-untrusted-image",
                                       "env.KEY"};

} // namespace

std::optional<bool> DriverOpts::goBool(const std::string& v)
{
    if (v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True")
        return true;
    if (v == "0" || v == "f" || v == "F" || v == "FALSE" || v == "false" || v == "False")
        return false;
    return std::nullopt;
}

std::string DriverOpts::csvField(const std::string& field)
{
    if (field.find_first_of(",\"") == std::string::npos)
        return field;
    std::string q = "\"";
    for (char c : field)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::vector<std::string> DriverOpts::splitCsv(const std::string& record, bool& ok)
{
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    bool fieldStart = true;
    ok = true;
    for (std::size_t i = 0; i < record.size(); ++i)
    {
        char c = record[i];
        if (quoted)
        {
            if (c == '"' && i + 1 < record.size() && record[i + 1] == '"')
            {
                field += '"';
                ++i;
            }
            else if (c == '"')
                quoted = false;
            else
                field += c;
        }
        else if (c == '"' && fieldStart)
        {
            quoted = true;
            fieldStart = false;
        }
        else if (c == ',')
        {
            fields.push_back(field);
            field.clear();
            fieldStart = true;
        }
        else
        {
            field += c;
            fieldStart = false;
        }
    }
    if (quoted)
        ok = false;
    fields.push_back(field);
    return fields;
}

namespace
{

// The k=v fields of every value, in order; appends problems for malformed ones.
std::vector<std::pair<std::string, std::string>>
fields(const std::vector<std::string>& values, const std::string& option, base::Problems& problems)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& value : values)
    {
        bool ok = true;
        for (const auto& field : DriverOpts::splitCsv(value, ok))
        {
            auto eq = field.find('=');
            if (eq == std::string::npos || eq == 0)
            {
                problems.push_back(base::Problem{
                    "", option + " " + base::quoted(field) + " is not KEY=VALUE (e.g. memory=2g)",
                    ""});
                continue;
            }
            pairs.emplace_back(field.substr(0, eq), field.substr(eq + 1));
        }
        if (!ok)
            problems.push_back(base::Problem{
                "", option + " " + base::quoted(value) + " has an unclosed quote", ""});
    }
    return pairs;
}

// One key's value, checked; what names the key in problems ("--driver-opt memory=\"x\"").
class KeyReader
{
public:
    KeyReader(DriverOpts& o, std::string option, base::Problems& problems)
        : _o(o), _option(std::move(option)), _problems(problems)
    {
    }

    void read(const std::string& key, const std::string& v)
    {
        _o.raw[key] = v;
        if (key == "image")
            image(v);
        else if (key == "network")
            _o.network = v;
        else if (key == "memory" || key == "memory-swap")
            memory(key, v);
        else if (key == "cpu-period")
            _o.cpuPeriod = integer(key, v, 1000, 1000000, "microseconds from 1000 to 1000000");
        else if (key == "cpu-quota")
            _o.cpuQuota = integer(key, v, 1000, 1LL << 40, "microseconds, at least 1000");
        else if (key == "cpu-shares")
            _o.cpuShares = integer(key, v, 0, 262144, "a whole number from 0 to 262144");
        else if (key == "cpuset-cpus" || key == "cpuset-mems")
            cpuset(key, v);
        else if (key == "cgroup-parent")
            cgroupParent(key, v);
        else if (key == "restart-policy")
            restartPolicy(key, v);
        else if (key == "default-load" || key == "provenance-add-gha" ||
                 key == "allow-untrusted-image")
            boolean(key, v);
        else if (base::startsWith(key, "env."))
            env(key, v);
        else
            unknown(key);
    }

    void checkTogether()
    {
        if (_o.memorySwap > 0 && _o.memory == 0)
            _problems.push_back(
                base::Problem{_option,
                              _option + " memory-swap needs memory as well (memory-swap is "
                                        "memory plus swap)",
                              ""});
        else if (_o.memorySwap > 0 && _o.memorySwap < _o.memory)
            _problems.push_back(base::Problem{
                _option, _option + " memory-swap must be at least memory (it is memory plus swap)",
                ""});
        if (_o.memory > 0 && _o.memory < 6 * 1024 * 1024)
            _problems.push_back(base::Problem{
                _option, _option + " memory must be at least 6m (the engine's minimum)", ""});
    }

private:
    std::string named(const std::string& key, const std::string& value) const
    {
        return _option + " " + key + "=" + base::quoted(value);
    }

    void image(const std::string& v)
    {
        if (v.empty())
            _problems.push_back(base::Problem{"",
                                              named("image", v) +
                                                  " needs an image reference (default " +
                                                  DEFAULT_BUILDKIT_IMAGE + ")",
                                              ""});
        else if (std::string problem = engine::ImageRef::problem(v); !problem.empty())
            _problems.push_back(base::Problem{"", named("image", v) + " " + problem, ""});
        _o.image = v;
    }

    void memory(const std::string& key, const std::string& v)
    {
        if (key == "memory-swap" && v == "-1")
        {
            _o.memorySwap = -1;
            return;
        }
        auto size = base::parseSize(v);
        if (!size)
        {
            _problems.push_back(
                base::Problem{_option,
                              named(key, v) +
                                  " is not a size: use bytes or a number with k, m, g or t "
                                  "(e.g. 512m, 2g)" +
                                  (key == "memory-swap" ? ", or -1 for unlimited" : ""),
                              ""});
            return;
        }
        (key == "memory" ? _o.memory : _o.memorySwap) = *size;
    }

    long long integer(const std::string& key, const std::string& v, long long min, long long max,
                      const std::string& what)
    {
        Poco::Int64 n = 0;
        if (!Poco::NumberParser::tryParse64(v, n) || n < min || n > max)
        {
            _problems.push_back(base::Problem{_option, named(key, v) + " must be " + what, ""});
            return 0;
        }
        return n;
    }

    void cpuset(const std::string& key, const std::string& v)
    {
        static const Poco::RegularExpression set("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$");
        if (!set.match(v))
            _problems.push_back(base::Problem{
                "", named(key, v) + " must list CPUs or memory nodes like 0-3 or 0,2", ""});
        (key == "cpuset-cpus" ? _o.cpusetCpus : _o.cpusetMems) = v;
    }

    void cgroupParent(const std::string& key, const std::string& v)
    {
        // The engine joins it to its cgroup root: a ".." would make a cgroup outside it.
        const auto parts = base::split(v, '/');
        if (std::find(parts.begin(), parts.end(), "..") != parts.end())
            _problems.push_back(base::Problem{
                "", named(key, v) + " must stay inside the engine's cgroups: no \"..\" segments",
                ""});
        else if (v.find_first_of(" \t\n") != std::string::npos)
            _problems.push_back(
                base::Problem{_option, named(key, v) + " must not contain whitespace", ""});
        _o.cgroupParent = v;
    }

    void restartPolicy(const std::string& key, const std::string& v)
    {
        auto colon = v.find(':');
        std::string name = v.substr(0, colon);
        std::string count = colon == std::string::npos ? "" : v.substr(colon + 1);
        static const std::vector<std::string> names = {"no", "always", "unless-stopped",
                                                       "on-failure"};
        if (std::find(names.begin(), names.end(), name) == names.end())
            _problems.push_back(base::Problem{_option,
                                              named(key, v) +
                                                  " must be no, always, unless-stopped or "
                                                  "on-failure[:MAX-RETRIES]",
                                              ""});
        else if (!count.empty() && name != "on-failure")
            _problems.push_back(base::Problem{
                _option, named(key, v) + ": a retry count goes with on-failure only", ""});
        else if (colon != std::string::npos &&
                 (!Poco::NumberParser::tryParse(count, _o.restartRetries) || _o.restartRetries < 0))
            _problems.push_back(base::Problem{
                _option, named(key, v) + ": the retry count must be a whole number", ""});
        _o.restartPolicy = name;
    }

    void boolean(const std::string& key, const std::string& v)
    {
        auto b = DriverOpts::goBool(v);
        if (!b)
            _problems.push_back(
                base::Problem{_option, named(key, v) + " must be true or false", ""});
        else if (key == "default-load")
            _o.defaultLoad = *b;
        else if (key == "provenance-add-gha")
            _o.provenanceAddGha = *b;
    }

    void env(const std::string& key, const std::string& v)
    {
        std::string name = key.substr(4);
        if (name.empty())
        {
            _problems.push_back(base::Problem{_option,
                                              _option + " " + base::quoted(key + "=" + v) +
                                                  " names no variable: use env.NAME=VALUE",
                                              ""});
            return;
        }
        auto it = std::find_if(_o.env.begin(), _o.env.end(),
                               [&](const auto& p) { return p.first == name; });
        if (it != _o.env.end())
            it->second = v;
        else
            _o.env.emplace_back(name, v);
    }

    void unknown(const std::string& key)
    {
        std::string problem =
            "unknown driver-opt " + base::quoted(key) + " for the docker-container driver";
        std::vector<std::string> known(KEYS.begin(), KEYS.end() - 1);
        std::string hint = base::closestMatch(key, known);
        if (!hint.empty())
            problem += "; did you mean " + base::quoted(hint) + "?";
        else
            problem += " (accepted: " + base::join(KEYS, ", ") + ")";
        _problems.push_back(base::Problem{"", problem, ""});
    }

    DriverOpts& _o;
    std::string _option;
    base::Problems& _problems;
};

} // namespace

DriverOpts DriverOpts::parse(const std::vector<std::string>& values, const std::string& option,
                             base::Problems& problems)
{
    DriverOpts o;
    o.image = DEFAULT_BUILDKIT_IMAGE;
    KeyReader reader(o, option, problems);
    for (const auto& [key, v] : fields(values, option, problems))
        reader.read(key, v);
    reader.checkTogether();
    return o;
}

} // namespace hoist::builder
