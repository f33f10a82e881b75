// This file implements the `hoist doctor` command: the doctor's checks run against the engine,
// the diagnosis printed as text or JSON, and the exit code of whether a builder can run.

#include "app/DoctorCommand.h"

#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "app/FleetRun.h"
#include "app/RemoteCommands.h"
#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"
#include "builder/EngineMemory.h"
#include "doctor/Doctor.h"
#include "engine/System.h"
#include "report/BuilderView.h"

namespace hoist::app
{

namespace
{

// A remote builder (--builder naming one in buildx's store) needs its daemon to answer, as
// well as the local engine for its client container: asked, said as a finding.
void checkRemote(const cli::Options& o, const base::Env& env, EngineConnection& conn,
                 report::Console& console, doctor::Diagnosis& d)
{
    std::optional<builder::RemoteSpec> remote = RemoteCommands::stored(o, env, conn);
    if (!remote || !d.canBuild)
        return;
    try
    {
        const builder::BuilderStatus s = RemoteCommands::status(*remote, o, env, conn, console);
        d.findings.push_back({"remote", "ok",
                              "builder " + remote->name + ": BuildKit " + s.buildkitVersion +
                                  " at " + remote->endpoint +
                                  (remote->tls() ? " over TLS" : " without TLS") + ", platforms " +
                                  base::join(s.platforms, ", "),
                              ""});
    }
    catch (const Poco::Exception& e)
    {
        // The first line: the finding's fix says what to do.
        d.findings.push_back(
            {"remote", "fail",
             "builder " + remote->name + ": " + base::split(base::userMessage(e), '\n').front(),
             "start the daemon at " + remote->endpoint +
                 ", or point the builder at one that runs (hoist setup " + o.common.builder.flag() +
                 " " + remote->name + " --driver remote --endpoint ...)"});
        d.canBuild = false;
    }
}

} // namespace

int DoctorCommand::run(const cli::Options& o, const base::Env& env, report::Console& console)
{
    const BuildInfo info = BuildInfo::current();
    EngineConnection conn(env, o.common);
    doctor::Diagnosis d = doctor::Doctor(conn.client(), info.version,
                                         info.platform.substr(info.platform.find('/') + 1))
                              .run();
    checkRemote(o, env, conn, console, d);
    if (FleetRun::holds(env, o.common.builder.value))
    {
        for (const auto& f : FleetRun::findings(o, env))
        {
            d.findings.push_back(f);
            d.canBuild = d.canBuild && f.status != "fail";
        }
    }
    // What setups remember of this engine is what doctor saw now.
    if (d.refusesPrivileged)
        builder::EngineMemory(base::cacheDir(env) + "/engines")
            .rememberPrivileged(engine::System(conn.client()).info(), *d.refusesPrivileged);
    console.print(o.common.json.value ? report::BuilderView::json(d)
                                      : report::BuilderView::text(d));
    return d.canBuild ? base::EXIT_OK : base::EXIT_UNAVAILABLE;
}

} // namespace hoist::app
