// This file implements `hoist qemu`: the checks of its options, the reset, the registration of
// the platforms asked (all by default) and the report of what the engine runs afterwards.

#include "app/QemuCommand.h"

#include "app/EngineConnection.h"
#include "app/Settings.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/DriverDefaults.h"
#include "ci/CiContext.h"
#include "cli/OptionParser.h"
#include "qemu/Emulation.h"
#include "qemu/Registrar.h"
#include "report/CiReport.h"

#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <algorithm>

namespace hoist::app
{

namespace
{
// The platforms asked: every one for none given or "all" among them, as setup-qemu-action.
std::vector<std::string> asked(const cli::Options& o, base::Problems& problems)
{
    const auto& values = o.setup.platforms.value;
    bool all = values.empty();
    std::vector<std::string> named;
    for (const auto& v : values)
    {
        for (const auto& field : base::split(v, ','))
        {
            if (Poco::trim(field) == "all")
                all = true;
            else if (!Poco::trim(field).empty())
                named.push_back(Poco::trim(field));
        }
    }
    if (all)
        return qemu::Emulation::every();
    return qemu::Emulation::platforms(named, o.setup.platforms.name(), problems);
}
} // namespace

int QemuCommand::run(const cli::Options& o, const base::Env& env, report::Console& console,
                     std::ostream& out, base::Problems problems)
{
    const ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    const std::vector<std::string> platforms = asked(o, problems);
    const qemu::Mode mode = qemu::modeNamed(o.setup.qemu.value);
    if (mode == qemu::Mode::Off)
        problems.push_back(
            base::Problem{o.setup.qemu.name(), o.setup.qemu.name() + "=off registers nothing",
                          "hoist qemu takes " + o.setup.qemu.flag() + " auto, image or host"});
    EngineConnection conn(env, o.common);
    cli::OptionParser::throwIfAny(problems, o.command);

    Poco::Timestamp started;
    const engine::RegistryAuth auth = conn.registryAuth(env, ci);
    qemu::Registrar registrar(
        conn.client(), auth, Settings::qemuHints(o), [&](const std::string& n) { console.note(n); },
        [&](const std::string& w) { console.warning(w); });
    // The engine's own registrations are read by a container of the default BuildKit image
    // when this machine cannot see them (hoist in a job container).
    const std::string reader = builder::DEFAULT_BUILDKIT_IMAGE;
    if (o.setup.reset.value)
        registrar.reset(mode, o.setup.qemuImage.value, reader);
    const bool all = platforms == qemu::Emulation::every();
    if (all)
        registrar.everyAvailable();
    registrar.run(platforms, mode, o.setup.qemuImage.value, reader);
    const std::vector<std::string> available = registrar.available(reader);

    report::RunReport r;
    r.command = "qemu";
    r.platforms = available;
    r.seconds = started.elapsed() / 1e6;
    report::CiReport(ci, o.common.resultFile.value, "", out).finish(r);
    console.print(base::join(available, ","));
    return base::EXIT_OK;
}

} // namespace hoist::app
