#include "report/ProgressPrinter.h"

#include "base/Redactor.h"

#include <Poco/Format.h>

namespace hoist::report
{

ProgressPrinter::ProgressPrinter(std::ostream& out, bool quiet) : _out(out), _quiet(quiet) {}

void ProgressPrinter::event(const build::StepEvent& e)
{
    using K = build::StepEvent::Kind;
    if (_quiet && e.kind != K::Failed)
        return;
    const std::string n = "#" + std::to_string(e.step.number) + " ";
    std::string line;
    switch (e.kind)
    {
    case K::Started:
        line = n + e.step.name;
        break;
    case K::Log:
        line = n + e.text;
        break;
    case K::Cached:
        line = n + "CACHED";
        break;
    case K::Done:
        line = n + Poco::format("DONE %.1fs", e.step.seconds);
        break;
    case K::Failed:
        line = n + "ERROR: " + e.step.error;
        break;
    }
    _out << base::Redactor::instance().redact(line) << "\n" << std::flush;
}

void ProgressPrinter::summary(const build::BuildSummary& s)
{
    if (!s.failed.empty())
    {
        for (const auto& f : s.failed)
        {
            _out << "hoist: step failed: " << f.name << ": " << f.error << "\n";
            for (const auto& l : f.logTail)
                _out << "hoist: | " << base::Redactor::instance().redact(l) << "\n";
        }
        _out << std::flush;
        return;
    }
    if (_quiet)
        return;
    _out << Poco::format(
        "hoist: built in %.1fs: %d steps, %d cached; context %z files, %.1f MiB sent", s.seconds,
        s.steps, s.cached, s.contextFiles, s.contextBytes / (1024.0 * 1024.0));
    if (!s.digest.empty())
        _out << "; digest " << s.digest;
    for (const auto& l : s.loaded)
        _out << "\nhoist: loaded " << l;
    _out << "\n" << std::flush;
}

} // namespace hoist::report
