// This file implements GitLab CI's collapsible job log sections, and the dotenv file that hands
// a build's digest, image ID, tags, builder and by-digest source to later jobs.

#include "report/GitLabSections.h"

#include "base/AtomicFile.h"

#include <Poco/Timestamp.h>
#include <cctype>

namespace hoist::report
{

GitLabSections::GitLabSections(std::ostream& out) : _out(out) {}

void GitLabSections::start(const std::string& name, const std::string& header, bool collapsed)
{
    _out << "\033[0Ksection_start:" << Poco::Timestamp().epochTime() << ":" << name
         << (collapsed ? "[collapsed=true]" : "") << "\r\033[0K" << header << "\n"
         << std::flush;
}

void GitLabSections::end(const std::string& name)
{
    _out << "\033[0Ksection_end:" << Poco::Timestamp().epochTime() << ":" << name << "\r\033[0K\n"
         << std::flush;
}

std::map<std::string, std::string> GitLabSections::dotenv(const RunReport& r)
{
    std::string tags;
    for (const auto& t : r.tags)
        tags += (tags.empty() ? "" : ",") + t;
    std::map<std::string, std::string> vars = {{"HOIST_DIGEST", r.build.digest},
                                               {"HOIST_IMAGE_ID", r.build.imageId},
                                               {"HOIST_TAGS", tags},
                                               {"HOIST_BUILDER_NAME", r.builder}};
    // A merge job needs several legs: each leaves its image under a name of its own.
    if (!r.byDigest.empty() && !r.build.digest.empty())
    {
        std::string key;
        for (char c : r.platformKey.empty() ? std::string("default") : r.platformKey)
            key += std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
        vars["HOIST_SOURCE_" + key] = r.byDigest + "@" + r.build.digest;
    }
    return vars;
}

void GitLabSections::writeDotenv(const std::string& path,
                                 const std::map<std::string, std::string>& vars)
{
    std::string text;
    for (const auto& [k, v] : vars)
    {
        if (v.empty())
            continue; // later jobs get nothing rather than an empty value

        std::string one;
        for (char c : v)
            one += c == '\n' ? ' ' : c;
        text += k + "=" + one + "\n";
    }
    base::AtomicFile::put(path, text);
}

} // namespace hoist::report
