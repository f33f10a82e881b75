// hoist: BuildKit builders with docker buildx semantics, one static binary.

#include "app/App.h"
#include "base/SignalGuard.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv)
{
    // A closed pipe (an engine that hung up, `hoist … | head`) is an error to report, never a
    // silent death.
    std::signal(SIGPIPE, SIG_IGN);
    hoist::base::SignalGuard::install();
    hoist::app::App app(hoist::base::Env::fromProcess(), std::cout, std::cerr);
    return app.run(std::vector<std::string>(argv + 1, argv + argc));
}
