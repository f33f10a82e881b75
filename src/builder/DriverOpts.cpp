// This file implements --driver-opt parsing for the docker-container driver: the keys, forms
// and defaults of buildx's driver/docker-container/factory.go, with hoist's own messages.

#include "builder/DriverOpts.h"

#include "base/Strings.h"
#include "builder/DriverDefaults.h"

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

// Go's strconv.ParseBool forms.
std::optional<bool> goBool(const std::string& v)
{
    if (v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True")
        return true;
    if (v == "0" || v == "f" || v == "F" || v == "FALSE" || v == "false" || v == "False")
        return false;
    return std::nullopt;
}

std::string opt(const std::string& key, const std::string& value)
{
    return "--driver-opt " + key + "=" + base::quoted(value);
}

} // namespace

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

std::optional<long long> DriverOpts::parseSize(const std::string& text)
{
    static const Poco::RegularExpression re("^([0-9]+(\\.[0-9]+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
    Poco::RegularExpression::MatchVec m;
    if (!re.match(text, 0, m))
        return std::nullopt;
    double number = 0;
    if (!Poco::NumberParser::tryParseFloat(text.substr(m[1].offset, m[1].length), number))
        return std::nullopt;
    int power = 0;
    if (m.size() > 3 && m[3].offset != std::string::npos && m[3].length)
    {
        switch (std::tolower(static_cast<unsigned char>(text[m[3].offset])))
        {
        case 'k':
            power = 1;
            break;
        case 'm':
            power = 2;
            break;
        case 'g':
            power = 3;
            break;
        case 't':
            power = 4;
            break;
        case 'p':
            power = 5;
            break;
        }
    }
    return static_cast<long long>(number * std::pow(1024.0, power));
}

DriverOpts DriverOpts::parse(const std::vector<std::string>& values,
                             std::vector<std::string>& problems)
{
    DriverOpts o;
    o.image = DEFAULT_BUILDKIT_IMAGE;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& value : values)
    {
        bool ok = true;
        for (const auto& field : splitCsv(value, ok))
        {
            auto eq = field.find('=');
            if (eq == std::string::npos || eq == 0)
            {
                problems.push_back("--driver-opt " + base::quoted(field) +
                                   " is not KEY=VALUE (e.g. --driver-opt memory=2g)");
                continue;
            }
            pairs.emplace_back(field.substr(0, eq), field.substr(eq + 1));
        }
        if (!ok)
            problems.push_back("--driver-opt " + base::quoted(value) + " has an unclosed quote");
    }

    auto integer = [&](const std::string& key, const std::string& v, long long min, long long max,
                       const std::string& what) -> long long
    {
        Poco::Int64 n = 0;
        if (!Poco::NumberParser::tryParse64(v, n) || n < min || n > max)
        {
            problems.push_back(opt(key, v) + " must be " + what);
            return 0;
        }
        return n;
    };

    for (const auto& [key, v] : pairs)
    {
        o.raw[key] = v;
        if (key == "image")
        {
            if (v.empty())
                problems.push_back(opt(key, v) + " needs an image reference (default " +
                                   DEFAULT_BUILDKIT_IMAGE + ")");
            o.image = v;
        }
        else if (key == "network")
            o.network = v;
        else if (key == "memory" || key == "memory-swap")
        {
            if (key == "memory-swap" && v == "-1")
            {
                o.memorySwap = -1;
                continue;
            }
            auto size = parseSize(v);
            if (!size)
            {
                problems.push_back(opt(key, v) +
                                   " is not a size: use bytes or a number with k, m, g "
                                   "or t (e.g. 512m, 2g)" +
                                   (key == "memory-swap" ? ", or -1 for unlimited" : ""));
                continue;
            }
            (key == "memory" ? o.memory : o.memorySwap) = *size;
        }
        else if (key == "cpu-period")
            o.cpuPeriod = integer(key, v, 1000, 1000000, "microseconds from 1000 to 1000000");
        else if (key == "cpu-quota")
            o.cpuQuota = integer(key, v, 1000, 1LL << 40, "microseconds, at least 1000");
        else if (key == "cpu-shares")
            o.cpuShares = integer(key, v, 0, 262144, "a whole number from 0 to 262144");
        else if (key == "cpuset-cpus" || key == "cpuset-mems")
        {
            static const Poco::RegularExpression set("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$");
            if (!set.match(v))
                problems.push_back(opt(key, v) + " must list CPUs or memory nodes like 0-3 or 0,2");
            (key == "cpuset-cpus" ? o.cpusetCpus : o.cpusetMems) = v;
        }
        else if (key == "cgroup-parent")
            o.cgroupParent = v;
        else if (key == "restart-policy")
        {
            auto colon = v.find(':');
            std::string name = v.substr(0, colon);
            std::string count = colon == std::string::npos ? "" : v.substr(colon + 1);
            static const std::vector<std::string> names = {"no", "always", "unless-stopped",
                                                           "on-failure"};
            if (std::find(names.begin(), names.end(), name) == names.end())
                problems.push_back(opt(key, v) + " must be no, always, unless-stopped or "
                                                 "on-failure[:MAX-RETRIES]");
            else if (!count.empty() && name != "on-failure")
                problems.push_back(opt(key, v) + ": a retry count goes with on-failure only");
            else if (colon != std::string::npos &&
                     (!Poco::NumberParser::tryParse(count, o.restartRetries) ||
                      o.restartRetries < 0))
                problems.push_back(opt(key, v) + ": the retry count must be a whole number");
            o.restartPolicy = name;
        }
        else if (key == "default-load" || key == "provenance-add-gha" ||
                 key == "allow-untrusted-image")
        {
            auto b = goBool(v);
            if (!b)
                problems.push_back(opt(key, v) + " must be true or false");
            else if (key == "default-load")
                o.defaultLoad = *b;
            else if (key == "provenance-add-gha")
                o.provenanceAddGha = *b;
        }
        else if (base::startsWith(key, "env."))
        {
            std::string name = key.substr(4);
            if (name.empty())
                problems.push_back("--driver-opt " + base::quoted(key + "=" + v) +
                                   " names no variable: use env.NAME=VALUE");
            else
            {
                auto it = std::find_if(o.env.begin(), o.env.end(),
                                       [&](const auto& p) { return p.first == name; });
                if (it != o.env.end())
                    it->second = v;
                else
                    o.env.emplace_back(name, v);
            }
        }
        else
        {
            std::string problem =
                "unknown driver-opt " + base::quoted(key) + " for the docker-container driver";
            std::vector<std::string> known(KEYS.begin(), KEYS.end() - 1);
            std::string hint = base::closestMatch(key, known);
            if (!hint.empty())
                problem += "; did you mean " + base::quoted(hint) + "?";
            else
                problem += " (accepted: " + base::join(KEYS, ", ") + ")";
            problems.push_back(problem);
        }
    }

    if (o.memorySwap > 0 && o.memory == 0)
        problems.push_back("--driver-opt memory-swap needs memory as well (memory-swap is memory "
                           "plus swap)");
    else if (o.memorySwap > 0 && o.memorySwap < o.memory)
        problems.push_back(
            "--driver-opt memory-swap must be at least memory (it is memory plus swap)");
    if (o.memory > 0 && o.memory < 6 * 1024 * 1024)
        problems.push_back("--driver-opt memory must be at least 6m (the engine's minimum)");
    return o;
}

} // namespace hoist::builder
