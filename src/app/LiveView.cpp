// This file implements the live terminal view: whether a command's progress is tty, and the
// panel on stderr, sized to the terminal, that takes the console's notes while it lives.

#include "app/LiveView.h"

#include "ci/CiContext.h"
#include "report/ProgressPrinter.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace hoist::app
{

namespace
{

report::LivePanel::Screen screenOfStderr()
{
    report::LivePanel::Screen s;
    winsize w{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0 && w.ws_row > 0)
    {
        s.columns = w.ws_col;
        s.rows = w.ws_row;
    }
    return s;
}

} // namespace

bool LiveView::wanted(const cli::Options& o, const base::Env& env)
{
    // A CI job's output is a log even when the runner gives it a terminal (act does).
    const bool terminal = ::isatty(STDERR_FILENO) == 1 && env.getOr("TERM", "dumb") != "dumb" &&
                          !ci::CiContext::inJob(env);
    return report::ProgressPrinter::modeFor(o.build.quiet.value ? "quiet" : o.build.progress.value,
                                            terminal) == report::ProgressPrinter::Mode::Tty;
}

LiveView::LiveView(const cli::Options& o, const base::Env& env, report::Console& console,
                   std::ostream& err, const std::string& title)
    : _console(console)
{
    if (!wanted(o, env))
        return;
    const bool colour = !env.has("NO_COLOR") && env.getOr("TERM", "dumb") != "dumb";
    _panel = std::make_unique<report::LivePanel>(err, title, colour, screenOfStderr);
    _panel->start();
    _console.setOverlay(_panel.get());
}

LiveView::~LiveView()
{
    if (!_panel)
        return;
    _console.setOverlay(nullptr);
    _panel->close();
}

report::LivePanel* LiveView::panel() const
{
    return _panel.get();
}

} // namespace hoist::app
