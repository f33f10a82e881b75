// This file implements the `hoist doctor` command: the doctor's checks run against the engine,
// the diagnosis printed as text or JSON, and the exit code of whether a builder can run.

#include "app/DoctorCommand.h"

#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "base/Error.h"
#include "base/Files.h"
#include "builder/EngineMemory.h"
#include "doctor/Doctor.h"
#include "engine/System.h"
#include "report/BuilderView.h"

namespace hoist::app
{

int DoctorCommand::run(const cli::Options& o, const base::Env& env, report::Console& console)
{
    const BuildInfo info = BuildInfo::current();
    EngineConnection conn(env, o.common);
    const doctor::Diagnosis d = doctor::Doctor(conn.client(), info.version,
                                               info.platform.substr(info.platform.find('/') + 1))
                                    .run();
    // What setups remember of this engine is what doctor saw now.
    if (d.refusesPrivileged)
        builder::EngineMemory(base::cacheDir(env) + "/engines")
            .rememberPrivileged(engine::System(conn.client()).info(), *d.refusesPrivileged);
    console.print(o.common.json.value ? report::BuilderView::json(d)
                                      : report::BuilderView::text(d));
    return d.canBuild ? base::EXIT_OK : base::EXIT_UNAVAILABLE;
}

} // namespace hoist::app
