// This file implements the nodes of a multi-node builder: reading --node, and which node
// builds each platform (pinned first, then native).

#include "plan/NodePlan.h"

#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "qemu/Emulation.h"
#include "qemu/Platform.h"

#include <Poco/RegularExpression.h>
#include <Poco/String.h>

#include <algorithm>
#include <set>

namespace hoist::plan
{

namespace
{

bool validName(const std::string& name)
{
    static const Poco::RegularExpression re("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    return re.match(name);
}

// One field of a --node value into node; returns a problem's words, "" when it reads.
std::string readField(const std::string& field, NodeSpec& node)
{
    const auto eq = field.find('=');
    if (eq == std::string::npos)
        return "field " + base::quoted(field) + " is not KEY=VALUE";
    const std::string key = field.substr(0, eq);
    const std::string value = field.substr(eq + 1);
    if (key == "name")
        node.name = value;
    else if (key == "endpoint")
        node.endpoint = value;
    else if (key == "driver-opt")
        node.driverOpts.push_back(value);
    else if (key == "platform")
    {
        for (const auto& p : base::split(value, ','))
        {
            qemu::Platform parsed;
            std::string problem;
            if (!qemu::Platform::parse(p, parsed, problem))
                return "platform " + base::quoted(p) + " " + problem;
            if (std::find(node.platforms.begin(), node.platforms.end(), parsed.str()) ==
                node.platforms.end())
                node.platforms.push_back(parsed.str());
        }
    }
    else
        return "has an unknown field " + base::quoted(key) +
               " (name, endpoint, platform, driver-opt)";
    return "";
}

} // namespace

std::vector<NodeSpec> planNodes(const cli::Texts& nodes, base::Problems& problems)
{
    std::vector<NodeSpec> out;
    std::set<std::string> names;
    const std::string option = nodes.name();
    for (const auto& value : nodes.value)
    {
        const std::string where = option + " " + base::quoted(value);
        bool ok = true;
        NodeSpec node;
        std::string problem;
        for (const auto& field : builder::DriverOpts::splitCsv(value, ok))
        {
            if (problem.empty())
                problem = readField(field, node);
        }
        if (!ok)
            problem = "has an unclosed quote";
        else if (problem.empty() && !node.name.empty() && !validName(node.name))
            problem = "name " + base::quoted(node.name) +
                      " is not a valid node name: use letters, digits, '-', '_' and '.'";
        else if (problem.empty() && !node.name.empty() && !names.insert(node.name).second)
            problem = "names node " + base::quoted(node.name) + " twice";
        if (!problem.empty())
        {
            problems.push_back(base::Problem{
                option, where + " " + problem,
                "give each node as name=NAME,endpoint=ENDPOINT,platform=LIST (quote a field "
                "holding commas: \"platform=linux/amd64,linux/386\")"});
            continue;
        }
        out.push_back(node);
    }
    return out;
}

void nameNodes(std::vector<NodeSpec>& nodes, const std::string& builder, const std::string& option,
               base::Problems& problems)
{
    std::set<std::string> names;
    for (std::size_t i = 0; i < nodes.size(); ++i)
    {
        if (nodes[i].name.empty())
            nodes[i].name = Poco::toLower(builder) + std::to_string(i);
        if (!names.insert(nodes[i].name).second)
            problems.push_back(base::Problem{option,
                                             option + ": node " + std::to_string(i + 1) +
                                                 " is named " + base::quoted(nodes[i].name) +
                                                 ", as another node is",
                                             "name it: name=NAME"});
    }
}

std::string locationForNode(const std::string& value, const std::string& node)
{
    bool ok = true;
    std::vector<std::string> fields = builder::DriverOpts::splitCsv(value, ok);
    if (!ok)
        return value;
    std::string type;
    for (const auto& f : fields)
        type = base::startsWith(f, "type=") ? f.substr(5) : type;
    bool scoped = false;
    for (auto& f : fields)
    {
        const auto eq = f.find('=');
        const std::string key = f.substr(0, eq == std::string::npos ? f.size() : eq);
        const std::string v = eq == std::string::npos ? "" : f.substr(eq + 1);
        if (type == "gha" && key == "scope")
        {
            f = "scope=" + v + "-" + node;
            scoped = true;
        }
        else if (type == "registry" && key == "ref" && v.find('@') == std::string::npos)
        {
            const auto slash = v.rfind('/');
            const bool tagged =
                v.find(':', slash == std::string::npos ? 0 : slash) != std::string::npos;
            f = "ref=" + v + (tagged ? "-" : ":") + node;
        }
        else if (type == "local" && (key == "src" || key == "dest"))
            f = key + "=" + v + "/" + node;
    }
    if (type == "gha" && !scoped)
        fields.push_back("scope=buildkit-" + node); // buildx's default scope, the node's
    std::string out;
    for (const auto& f : fields)
        out += (out.empty() ? "" : ",") + builder::DriverOpts::csvField(f);
    return out;
}

std::vector<int> assignPlatforms(const std::vector<std::string>& platforms,
                                 const std::vector<NodeReach>& nodes, const std::string& option,
                                 base::Problems& problems)
{
    std::vector<int> out;
    for (const auto& p : platforms)
    {
        int chosen = -1;
        for (std::size_t i = 0; i < nodes.size() && chosen < 0; ++i)
        {
            const auto& pinned = nodes[i].pinned;
            if (std::find(pinned.begin(), pinned.end(), p) != pinned.end())
                chosen = static_cast<int>(i);
        }
        for (std::size_t i = 0; i < nodes.size() && chosen < 0; ++i)
        {
            if (qemu::Emulation::runsNatively(p, nodes[i].arch))
                chosen = static_cast<int>(i);
        }
        if (chosen < 0)
            problems.push_back(base::Problem{
                option, option + " " + base::quoted(p) + ": no node pins it or runs it natively",
                "pin it to a node (--node name=NAME,platform=" + p +
                    "): that node registers QEMU for it"});
        out.push_back(chosen);
    }
    return out;
}

} // namespace hoist::plan
