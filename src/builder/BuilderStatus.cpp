// This file implements the words and parsers of a builder's status: buildx's state names, the
// security name, the workers' platforms from `buildctl debug workers`, and buildkitd's version.

#include "builder/BuilderStatus.h"

#include "base/Strings.h"

#include <Poco/StringTokenizer.h>

#include <algorithm>

namespace hoist::builder
{

std::string securityName(const BuilderStatus& status)
{
    return status.security ? engine::securityModeName(*status.security) : "unprivileged";
}

const char* stateName(BuilderState state)
{
    switch (state)
    {
    case BuilderState::Running:
        return "running";
    case BuilderState::Stopped:
        return "stopped";
    case BuilderState::Inactive:
        break;
    }
    return "inactive";
}

std::vector<std::string> parseWorkerPlatforms(const std::string& output)
{
    std::vector<std::string> platforms;
    bool header = true;
    for (const auto& line : base::split(output, '\n'))
    {
        Poco::StringTokenizer t(line, " \t", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
        if (t.count() < 2)
            continue;
        if (header && t[0] == "ID")
        {
            header = false;
            continue;
        }
        for (const auto& p : base::splitTrimmed(t[1], ','))
        {
            if (std::find(platforms.begin(), platforms.end(), p) == platforms.end())
                platforms.push_back(p);
        }
    }
    return platforms;
}

std::string parseBuildkitVersion(const std::string& output)
{
    Poco::StringTokenizer t(output, " \t\n", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    return t.count() == 4 ? t[2] : "";
}

} // namespace hoist::builder
