// This file implements `hoist run`: everything checked first, then one job of setup, build and
// teardown, each phase reported to the CI, with teardown also after a failed or cancelled build.

#include "app/RunCommand.h"

#include "app/BuildCommand.h"
#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "app/FleetRun.h"
#include "app/LiveView.h"
#include "app/RemoteCommands.h"
#include "app/SetupStep.h"
#include "base/Cancellation.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "builder/Builder.h"
#include "cli/OptionParser.h"
#include "plan/BuilderPlan.h"
#include "plan/LocalFiles.h"
#include "plan/StatePlan.h"
#include "report/BuilderView.h"
#include "report/CiReport.h"
#include "travel/StateTravel.h"

#include <Poco/Format.h>
#include <Poco/Timestamp.h>

namespace hoist::app
{

namespace
{

// One job: its phases, each reported to the CI, and the teardown owed once setup is done.
class Job
{
public:
    Job(const cli::Options& o, const base::Env& env, report::Console& console, std::ostream& err,
        EngineConnection& conn, const ci::CiContext& ci, const builder::BuilderSpec& spec,
        const PreparedBuild& build, const std::string& buildxDir, const plan::StatePlan& state)
        : _o(o),
          _env(env),
          _console(console),
          _err(err),
          _conn(conn),
          _ci(ci),
          _spec(spec),
          _build(build),
          _rep(ci, o.common.resultFile.value, o.build.dotenvFile.value, err),
          _b(
              conn.client(), spec, [&](const std::string& n) { console.note(n); },
              builder::BuildxStore(buildxDir)),
          _travel(SetupStep::stateTravel(state, conn.registryAuth(env, ci), ci, console))
    {
        _rr.command = "run";
        _rr.builder = spec.name;
        _rr.volume = spec.volumeName();
        _rr.tags = build.request.tags;
        _rr.ciDefaults = build.ciDefaults;
        _rr.ciDefaultsOff = build.ciDefaultsOff;
        _rr.dockerfile = build.request.dockerfileDir + "/" + build.request.dockerfileName;
        _rr.byDigest = build.request.byDigest;
        _rr.platformKey = buildrun::platformKey(build.request.platforms);
    }

    int run()
    {
        // One view from setup to teardown on a terminal; the CI's log otherwise.
        LiveView view(_o, _env, _console, _err, "hoist run");
        _panel = view.panel();
        if (_panel)
            _panel->setTarget(_spec.name, _build.request.platforms);
        _rep.maskSecrets();
        try
        {
            setup();
            build();
            teardown();
        }
        catch (const Poco::Exception& e)
        {
            fail(e);
            throw;
        }
        _rr.seconds = _started.elapsed() / 1e6;
        _rep.finish(_rr);
        _console.note(Poco::format("run finished in %s",
                                   base::formatDuration(Poco::Timespan(_started.elapsed()))));
        stateBalance();
        return base::EXIT_OK;
    }

private:
    void setup()
    {
        _rep.begin("setup", "hoist setup " + _spec.name);
        Poco::Timestamp started;
        if (_panel)
            _b.setPhase([panel = _panel](const std::string& text, bool update)
                        { update ? panel->progress(text) : panel->phase(text); });
        _travel.prepare(_b);
        builder::SetupResult r =
            SetupStep::run(_o, _env, _conn.client(), _conn.registryAuth(_env, _ci),
                           _build.request.platforms, _b, _console, true);
        _needTeardown = true;
        _rr.builderAction = builder::actionName(r.action);
        _rr.warmState = r.warmState;
        record(_travel.outcome().restoredFrom, _travel.outcome().restored, _rr.stateRestored);
        _rr.buildkitVersion = r.status.buildkitVersion;
        _rr.platforms = r.status.platforms;
        _console.note(
            Poco::format("builder %s %s in %s (%s state volume), BuildKit %s", _spec.name,
                         _rr.builderAction, base::formatDuration(Poco::Timespan(started.elapsed())),
                         std::string(r.warmState ? "warm" : "new"), r.status.buildkitVersion));
        _rep.end();
    }

    void build()
    {
        _rep.begin("build", "hoist build");
        const std::string fence = _rep.fence();
        try
        {
            _rr.build = BuildCommand::execute(_b, _spec.name, _build, _conn, _env, _o, _err,
                                              _console, _panel);
        }
        catch (...)
        {
            _rep.unfence(fence);
            throw;
        }
        _rep.unfence(fence);
        _rr.built = true;
        _travel.setBuild(_rr.build.seconds, !_rr.warmState && _rr.stateRestored.where.empty());
        _rep.end();
    }

    void teardown()
    {
        _needTeardown = false;
        _rep.begin("teardown", "hoist teardown " + _spec.name);
        builder::TeardownResult t =
            _b.teardown(_o.teardown.keepState.value, false, false,
                        base::Cancellation::requested() ? nullptr : _travel.save(_b));
        record(_travel.outcome().savedTo, _travel.outcome().saved, _rr.stateSaved);
        _rr.keptVolume = t.keptVolume || !t.heldBy.empty();
        if (!t.heldBy.empty())
            _console.note("builder " + _spec.name + ": left running for " +
                          report::BuilderView::heldByText(t.heldBy) +
                          "; the last one out removes it");
        else
            _console.note("builder " + _spec.name + ": removed" +
                          (t.keptVolume
                               ? ", state volume " + _spec.volumeName() + " kept for the next run"
                               : ", state volume removed"));
        _rep.end();
    }

    // A job whose state was restored: what moving the state cost against what it saved.
    void stateBalance()
    {
        const travel::StateTravel::Outcome& t = _travel.outcome();
        if (t.restoredFrom.empty() || t.coldBuildSeconds <= 0 || !_rr.built)
            return;
        _console.note(Poco::format(
            "state: restoring and saving it took %s; the build took %s, %s when it started cold",
            base::formatDuration(t.restored.seconds + t.saved.seconds),
            base::formatDuration(_rr.build.seconds), base::formatDuration(t.coldBuildSeconds)));
    }

    static void record(const std::string& where, const state::Moved& m, report::StateMove& to)
    {
        to = {where, m.bytes, m.raw, m.seconds};
    }

    // The build failed or was cancelled: tear down all the same, then report the cause.
    void fail(const Poco::Exception& e)
    {
        base::Cancellation::Cleanup cleanup;
        _rep.end();
        if (_needTeardown)
        {
            try
            {
                teardown();
            }
            catch (const Poco::Exception& t)
            {
                _console.warning("teardown after the failure: " + base::userMessage(t));
            }
        }
        _rep.fail(_rr, e, _started.elapsed() / 1e6);
    }

    const cli::Options& _o;
    const base::Env& _env;
    report::Console& _console;
    std::ostream& _err;
    EngineConnection& _conn;
    const ci::CiContext& _ci;
    const builder::BuilderSpec& _spec;
    const PreparedBuild& _build;
    report::CiReport _rep;
    builder::Builder _b;
    travel::StateTravel _travel;
    report::LivePanel* _panel = nullptr;
    report::RunReport _rr;
    Poco::Timestamp _started;
    bool _needTeardown = false;
};

} // namespace

int RunCommand::run(const cli::Options& o, const base::Env& env, report::Console& console,
                    std::ostream& err, base::Problems problems)
{
    if (!o.setup.nodes.value.empty())
        return FleetRun::run(o, env, console, err, std::move(problems));
    if (o.setup.driver.value == "remote")
        return RemoteCommands::run(o, env, console, err, std::move(problems));
    ci::CiContext ci = ci::CiContext::detect(env, o.common.ciLeg.value);
    EngineConnection conn(env, o.common);
    const std::string buildxDir = plan::buildxDir(env, conn.dockerConfig().dir());
    builder::BuilderSpec spec = plan::planBuilder(
        o.setup, {o.common.builder.value, buildxDir, BuildInfo::current().version}, ci, env,
        plan::LocalFiles(), problems);
    PreparedBuild build = BuildCommand::plan(o, ci, env, problems);
    const plan::StatePlan state = plan::planState(o.state, ci, problems, spec.config);
    conn.check(problems,
               [&]
               {
                   SetupStep::preflight(o, conn.client(), spec, problems);
                   BuildCommand::checkEngine(o, build.request, conn, problems);
               });
    cli::OptionParser::throwIfAny(problems, o.command);
    BuildCommand::announce(build, console);
    if (!state.defaults.empty())
        console.note(state.defaults);
    return Job(o, env, console, err, conn, ci, spec, build, buildxDir, state).run();
}

} // namespace hoist::app
