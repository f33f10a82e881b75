// This file implements buildx's --resource values: the limits of each RUN step's container, as
// the Dockerfile frontend's attributes.

#include "cli/Resource.h"

#include "base/Size.h"
#include "base/Strings.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <map>

namespace hoist::cli
{

namespace
{

// buildx's keys (docker run's flag names) and the frontend's attributes.
const std::map<std::string, std::string>& attributes()
{
    static const std::map<std::string, std::string> ATTRS = {
        {"memory", "memory"},         {"memory-swap", "memswap"}, {"cpu-shares", "cpushares"},
        {"cpu-period", "cpuperiod"},  {"cpu-quota", "cpuquota"},  {"cpuset-cpus", "cpusetcpus"},
        {"cpuset-mems", "cpusetmems"}};
    return ATTRS;
}

Resource memory(const std::string& key, const std::string& attr, const std::string& value,
                std::string& problem)
{
    const auto bytes = key == "memory-swap" && value == "-1" ? std::optional<long long>(-1)
                                                             : base::parseSize(value);
    if (!bytes)
    {
        problem = "is not a size: bytes or a number with k, m or g (e.g. 2g)" +
                  std::string(key == "memory-swap" ? ", or -1 for no limit" : "");
        return {};
    }
    return {*bytes != 0 ? attr : "", std::to_string(*bytes)};
}

} // namespace

Resource Resource::read(const std::string& text, std::string& problem)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos)
    {
        problem = "is not KEY=VALUE (e.g. memory=2g)";
        return {};
    }
    const std::string key = Poco::trim(text.substr(0, eq));
    const std::string value = Poco::trim(text.substr(eq + 1));
    const auto attr = attributes().find(key);
    if (attr == attributes().end())
    {
        problem = "names no resource: memory, memory-swap, cpu-shares, cpu-period, cpu-quota, "
                  "cpuset-cpus or cpuset-mems";
        return {};
    }
    if (base::startsWith(key, "cpuset"))
        return {value.empty() ? "" : attr->second, value};
    if (base::startsWith(key, "memory"))
        return memory(key, attr->second, value, problem);
    Poco::Int64 n = 0;
    if (!Poco::NumberParser::tryParse64(value, n))
    {
        problem = "must give a whole number";
        return {};
    }
    return {n > 0 ? attr->second : "", std::to_string(n)};
}

Validator Resource::check()
{
    return [](const std::string& text)
    {
        std::string problem;
        read(text, problem);
        return problem;
    };
}

} // namespace hoist::cli
