// This file implements what a builder does for its state to travel: filling a new state
// volume before buildkitd starts, pruning to a budget, listing the attributes a copy loses,
// and the save around teardown's stop.

#include "builder/Builder.h"

#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Log.h"
#include "builder/ContainerConfig.h"

namespace hoist::builder
{

void Builder::setStateFill(FillState fill)
{
    _fill = std::move(fill);
}

bool Builder::fillVolume(const std::string& stateDir, Created& created)
{
    if (!_fill || !created.volume || _filled)
        return true;
    _filled = true;
    if (_fill(stateDir))
        return true;
    // Part of the volume was written: start from an empty one instead.
    _note("starting with an empty state volume instead");
    _engine.removeContainer(_spec.containerName());
    created.container = false;
    _engine.removeVolume(_spec.volumeName(), true);
    created.volume = false;
    return false;
}

bool Builder::prune(std::uint64_t keepBytes, std::string& why)
{
    engine::ExecSpec spec;
    const std::uint64_t mb = keepBytes / (1024 * 1024);
    spec.cmd = {"buildctl", "prune", "--keep-storage", std::to_string(mb < 1 ? 1 : mb)};
    std::string out;
    const int rc = _engine.capture(_spec.containerName(), spec, out, why);
    return rc == 0;
}

std::optional<StateAttrs::Listing> Builder::stateAttrs(const std::string& dir, std::string& why)
{
    const std::string helperPath = helper().path();
    if (helperPath.empty())
    {
        why = "hoist's helper cannot run in the builder";
        return std::nullopt;
    }
    engine::ExecSpec spec;
    spec.cmd = StateAttrs::argv(helperPath, dir);
    std::string out;
    if (_engine.capture(_spec.containerName(), spec, out, why) != 0)
        return std::nullopt;
    return StateAttrs::fromJson(out);
}

void Builder::saveState(const StateSave& save, TeardownResult& result)
{
    const std::string dir = stateDir();
    if (dir.empty())
    {
        _note("the builder has no state volume to save");
        return;
    }
    try
    {
        save.beforeStop(dir);
        _engine.stopContainer(_spec.containerName(), base::Cancellation::signal() != 0 ? 2 : 10);
        save.afterStop(dir);
        result.stateSaved = true;
    }
    catch (const base::CancelledException&)
    {
        // The container goes all the same (teardown's promise), then the cancellation.
        base::Cancellation::Cleanup cleanup;
        try
        {
            _engine.removeContainer(_spec.containerName());
            if (_store)
                _store->remove(_spec.name);
        }
        catch (const Poco::Exception& e)
        {
            base::Log::get("builder").warning("removing the builder after a cancelled save: %s",
                                              e.displayText());
        }
        throw;
    }
    catch (const Poco::Exception& e)
    {
        // A save is never worth a teardown: the rest of it goes on.
        _note("the state is not saved: " + e.displayText());
    }
    catch (const std::exception& e)
    {
        _note(std::string("the state is not saved: ") + e.what());
    }
}

} // namespace hoist::builder
