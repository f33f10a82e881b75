// This file implements `hoist plan`'s text: the CI context, the builder, the resolved options
// with their origins, and the equivalent docker buildx commands, shell-quoted.

#include "report/PlanView.h"

#include "base/ShellWords.h"
#include "base/Strings.h"

#include <sstream>

namespace hoist::report
{

namespace
{

std::string shell(const std::vector<std::string>& argv)
{
    std::vector<std::string> q;
    for (const auto& a : argv)
        q.push_back(base::shellQuote(a));
    return base::join(q, " ");
}

} // namespace

std::string PlanView::text(const PlanFacts& f)
{
    std::ostringstream out;
    out << "CI:        " << f.ci << (f.runUrl.empty() ? "" : ", run " + f.runUrl)
        << "\nsession:   " << f.session << "\nbuilder:   " << f.builder << " (" << f.builderOrigin
        << "): container " << f.container << ", state volume " << f.volume
        << "\nimage:     " << f.image << "\ncontext:   " << f.context
        << (f.remoteContext ? std::string(" (fetched by BuildKit)")
                            : " (" + std::to_string(f.contextFiles) + " files, " +
                                  std::to_string(f.contextBytes) + " bytes after .dockerignore)")
        << "\n"
        << "Dockerfile: " << f.dockerfile << "\n\nresolved options:\n";
    for (const auto& v : f.options)
        out << "  --" << v.name << " " << base::join(v.values, " | ") << "   (" << v.origin
            << ")\n";
    for (const auto& d : f.ciDefaults)
        out << "  " << d << "   (CI default)\n";
    if (!f.provenance.empty())
        out << "  provenance attestation: " << f.provenance << "\n";
    for (const auto& n : f.notes)
        out << "  note: " << n << "\n";
    out << "\nthe same with docker buildx:\n";
    for (const auto& argv : f.buildx)
    {
        if (!argv.empty())
            out << "  " << shell(argv) << "\n";
    }
    return out.str();
}

} // namespace hoist::report
