// This file implements the build's progress as buildx's plain lines (failures only when quiet),
// and the build's summary: steps cached, the slowest steps, failures with their log tails,
// warnings.

#include "report/ProgressPrinter.h"

#include "base/Redactor.h"

#include <Poco/Format.h>

#include <algorithm>

namespace hoist::report
{

ProgressPrinter::ProgressPrinter(std::ostream& out, Mode mode) : _out(out), _mode(mode) {}

ProgressPrinter::Mode ProgressPrinter::modeFor(const std::string& value, bool isTerminal)
{
    if (value == "quiet" || value == "none") // buildx's none: quiet, without -q's image ID
        return Mode::Quiet;
    if (value == "rawjson")
        return Mode::RawJson;
    if (value == "tty" || (value == "auto" && isTerminal))
        return Mode::Tty;
    return Mode::Plain;
}

void ProgressPrinter::event(const buildrun::StepEvent& e)
{
    using K = buildrun::StepEvent::Kind;
    const auto redact = [](const std::string& s) { return base::Redactor::instance().redact(s); };
    const std::string n = "#" + std::to_string(e.step.number) + " ";
    if ((e.kind == K::Raw) != (_mode == Mode::RawJson) ||
        (_mode == Mode::Quiet && e.kind != K::Failed))
        return;
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
    case K::Raw:
        _out << e.text << "\n" << std::flush; // redacted where it was decoded
        return;
    }
    _out << redact(line) << "\n" << std::flush;
}

void ProgressPrinter::summary(const buildrun::BuildSummary& s)
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
    if (_mode == Mode::Quiet || _mode == Mode::RawJson)
        return;
    const std::string changed =
        s.contextChanged < 0 ? "" : Poco::format(" (%ld changed)", s.contextChanged);
    _out << Poco::format(
        "hoist: built in %.1fs: %d steps, %d cached; context %z files%s, %.1f MiB sent", s.seconds,
        s.steps, s.cached, s.contextFiles, changed, s.contextBytes / (1024.0 * 1024.0));
    if (!s.digest.empty())
        _out << "; digest " << s.digest;
    _out << "\n";
    std::vector<buildrun::BuildStep> slow;
    for (const auto& st : s.stepList)
    {
        if (!st.cached && st.seconds >= 0.5)
            slow.push_back(st);
    }
    std::sort(slow.begin(), slow.end(),
              [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
    for (std::size_t i = 0; i < slow.size() && i < 5; ++i)
        _out << Poco::format("hoist:   %6.1fs  %s\n", slow[i].seconds, slow[i].name);
    for (const auto& l : s.loaded)
        _out << "hoist: loaded " << l << "\n";
    warnings(s.warnings);
    _out << std::flush;
}

void ProgressPrinter::warnings(const std::vector<buildrun::BuildWarning>& list)
{
    if (list.empty())
        return;
    _out << "hoist: " << list.size() << (list.size() == 1 ? " warning" : " warnings")
         << " found:\n";
    for (const auto& w : list)
    {
        _out << "hoist:  - " << (w.rule.empty() ? "" : w.rule + ": ") << w.message;
        if (w.line > 0)
            _out << " (line " << w.line << ")";
        _out << "\n";
    }
}

} // namespace hoist::report
