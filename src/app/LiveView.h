#pragma once

#include "base/Env.h"
#include "cli/Options.h"
#include "report/Console.h"
#include "report/LivePanel.h"

#include <memory>
#include <ostream>
#include <string>

namespace hoist::app
{

/// A live panel on the terminal for as long as the object lives (see report::LivePanel), when
/// the command's progress is tty (`--progress tty`, or auto on a terminal whose TERM is not
/// dumb); the console's notes and warnings go into it meanwhile. Colours unless NO_COLOR is
/// set or TERM is dumb.
class LiveView
{
public:
    /// A view titled title on err for o's progress mode, through console.
    LiveView(const cli::Options& o, const base::Env& env, report::Console& console,
             std::ostream& err, const std::string& title);

    /// Closes the panel (the cursor below it) and gives the console its stream back.
    ~LiveView();

    LiveView(const LiveView&) = delete;
    LiveView& operator=(const LiveView&) = delete;

    /// Returns the panel, or nullptr when the progress is not tty.
    report::LivePanel* panel() const;

    /// Returns true when the command's progress is tty.
    static bool wanted(const cli::Options& o, const base::Env& env);

private:
    report::Console& _console;
    std::unique_ptr<report::LivePanel> _panel;
};

} // namespace hoist::app
