// This file implements the Markdown job summary of a run: builder, BuildKit, platforms, tags,
// digest, steps cached, state moved, times, the slowest steps, or the error, user text escaped.

#include "report/JobSummary.h"

#include "base/Strings.h"

#include <Poco/Format.h>

#include <algorithm>
#include <sstream>

namespace hoist::report
{

namespace
{

// Keeps user text from becoming Markdown or HTML.
std::string escape(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        switch (c)
        {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '|':
            out += "\\|";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A code fence of backticks longer than the longest run of them in text (at least three).
std::string fence(const std::string& text)
{
    std::size_t longest = 0, run = 0;
    for (char c : text)
    {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

} // namespace

bool JobSummary::wanted(const RunReport& r)
{
    return r.command == "build" || r.command == "run" || r.command == "merge" || r.exitCode != 0;
}

std::string JobSummary::markdown(const RunReport& r)
{
    std::ostringstream md;
    md << "## hoist " << r.command << (r.exitCode == 0 ? " ✅" : " ❌") << "\n\n";
    md << "| | |\n|---|---|\n";
    if (!r.builder.empty())
        md << "| Builder | `" << escape(r.builder) << "`"
           << (r.builderAction.empty()
                   ? ""
                   : " (" + r.builderAction + ", " + (r.warmState ? "warm" : "cold") + " state)")
           << " |\n";
    if (!r.buildkitVersion.empty())
        md << "| BuildKit | " << escape(r.buildkitVersion) << " |\n";
    if (!r.platforms.empty())
        md << "| Platforms | " << escape(base::join(r.platforms, ", ")) << " |\n";
    if (!r.ciDefaults.empty())
        md << "| CI defaults | " << escape(base::join(r.ciDefaults, "; ")) << " ("
           << escape(r.ciDefaultsOff) << ") |\n";
    if (r.built)
    {
        if (!r.tags.empty())
            md << "| Tags | " << escape(base::join(r.tags, ", ")) << " |\n";
        if (!r.build.digest.empty())
            md << "| Digest | `" << escape(r.build.digest) << "` |\n";
        md << Poco::format("| Steps | %d, %d cached (%d%%) |\n", r.build.steps, r.build.cached,
                           r.build.steps ? 100 * r.build.cached / r.build.steps : 0);
        md << Poco::format("| Build time | %.1fs |\n", r.build.seconds);
    }
    if (!r.volume.empty() && r.keptVolume)
        md << "| State volume | `" << escape(r.volume) << "` kept for the next job |\n";
    for (const auto& [label, m] : {std::make_pair("State restored from", &r.stateRestored),
                                   std::make_pair("State saved to", &r.stateSaved)})
    {
        if (!m->where.empty())
            md << "| " << label << " | " << escape(m->where)
               << Poco::format(": %.1f MB in %.1fs |\n", static_cast<double>(m->bytes) / 1e6,
                               m->seconds);
    }
    md << Poco::format("| Total | %.1fs |\n", r.seconds);
    if (r.built)
    {
        std::vector<buildrun::BuildStep> slow;
        for (const auto& s : r.build.stepList)
        {
            if (!s.cached && s.seconds >= 0.1)
                slow.push_back(s);
        }
        std::sort(slow.begin(), slow.end(),
                  [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
        if (!slow.empty())
        {
            md << "\n<details><summary>Slowest steps</summary>\n\n| Step | Time |\n|---|---|\n";
            for (std::size_t i = 0; i < slow.size() && i < 10; ++i)
                md << "| " << escape(slow[i].name) << Poco::format(" | %.1fs |\n", slow[i].seconds);
            md << "\n</details>\n";
        }
    }
    if (!r.error.empty())
    {
        // A code block shows its text as it is: no entities, no escapes; only a fence longer
        // than any run of backticks in the text, so the text cannot close it.
        std::string quoted = r.error;
        std::string::size_type pos = 0;
        while ((pos = quoted.find('\n', pos)) != std::string::npos)
        {
            quoted.replace(pos, 1, "\n> ");
            pos += 3;
        }
        const std::string f = fence(r.error);
        md << "\n> **Error**\n>\n> " << f << "\n> " << quoted << "\n> " << f << "\n";
    }
    md << "\n";
    return md.str();
}

} // namespace hoist::report
