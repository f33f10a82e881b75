#pragma once

#include "report/RunReport.h"

#include <map>
#include <ostream>
#include <string>

namespace hoist::report
{

/// GitLab CI's job log sections (collapsible, timed) and the dotenv report file
/// (artifacts:reports:dotenv) that hands values to later jobs.
class GitLabSections
{
public:
    /// Sections are written to out.
    explicit GitLabSections(std::ostream& out);

    /// Starts a section; collapsed sections fold in the job log.
    void start(const std::string& name, const std::string& header, bool collapsed = true);

    /// Ends the section.
    void end(const std::string& name);

    /// Returns what a build hands to later jobs: HOIST_DIGEST, HOIST_IMAGE_ID, HOIST_TAGS,
    /// HOIST_BUILDER.
    static std::map<std::string, std::string> dotenv(const RunReport& report);

    /// Writes vars as KEY=VALUE lines to path (values on one line, as GitLab's dotenv wants).
    static void writeDotenv(const std::string& path,
                            const std::map<std::string, std::string>& vars);

private:
    std::ostream& _out;
};

} // namespace hoist::report
