// This file implements the console: results to stdout, and errors, warnings and notes to stderr
// as "hoist: …" lines, every line redacted, or handed to a live panel's overlay while it owns
// the terminal.

#include "report/Console.h"

#include "base/Redactor.h"
#include "base/Strings.h"

namespace hoist::report
{

Console::Console(std::ostream& out, std::ostream& err) : _out(out), _err(err) {}

void Console::print(const std::string& text)
{
    const auto write = [&] { _out << base::Redactor::instance().redact(text) << std::flush; };
    if (_overlay)
        _overlay->above(write);
    else
        write();
}

void Console::error(const std::string& message)
{
    for (const auto& line : base::split(base::Redactor::instance().redact(message), '\n'))
    {
        const bool guidance = base::startsWith(line, "see ") || base::startsWith(line, "hint: ") ||
                              base::startsWith(line, "| ");
        const std::string text = (guidance ? "hoist: " : "hoist: error: ") + line;
        if (_overlay)
            _overlay->line(text);
        else
            _err << text << "\n";
    }
    _err << std::flush;
}

void Console::setOverlay(ConsoleOverlay* overlay)
{
    _overlay = overlay;
}

void Console::warning(const std::string& message)
{
    lines("hoist: warning: ", message);
}

void Console::note(const std::string& message)
{
    if (_overlay)
        _overlay->phase(base::Redactor::instance().redact(message));
    else
        lines("hoist: ", message);
}

void Console::lines(const std::string& prefix, const std::string& message)
{
    for (const auto& line : base::split(base::Redactor::instance().redact(message), '\n'))
    {
        if (_overlay)
            _overlay->line(prefix + line);
        else
            _err << prefix << line << "\n";
    }
    _err << std::flush;
}

std::ostream& Console::errors()
{
    return _err;
}

} // namespace hoist::report
