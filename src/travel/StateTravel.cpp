// This file implements the state's travel for one command: the restore before buildkitd
// starts, and the save around teardown's stop.

#include "travel/StateTravel.h"

#include "base/Duration.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "travel/RestorePlan.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Format.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

namespace hoist::travel
{

namespace
{

std::string megabytes(std::uint64_t bytes)
{
    return Poco::format("%.1f MB", static_cast<double>(bytes) / 1e6);
}

} // namespace

StateTravel::StateTravel(const plan::StatePlan& plan, engine::RegistryAuth auth, std::string run,
                         Say note, Say warning)
    : _plan(plan),
      _auth(std::move(auth)),
      _run(std::move(run)),
      _note(std::move(note)),
      _warning(std::move(warning))
{
}

std::unique_ptr<state::Store> StateTravel::store(const state::Location& at)
{
    return state::Store::open(
        at, [this](const std::string& host) { return _auth.forRegistry(host); },
        registry::RegistryHosts{_plan.plainHttp, _plan.insecure, _plan.registryCas});
}

void StateTravel::prepare(builder::Builder& builder)
{
    const std::vector<state::Location> sources = sourcesToTry(_plan, builder.hasStateVolume());
    if (sources.empty())
        return;
    // What can be told before the image is pulled and the container made: its image (when the
    // engine has it already) and the engine's architecture; the state directory comes later.
    const std::string image = builder.imageId();
    const std::string arch = builder.engineArch();
    const auto fits = [&](const state::SnapshotInfo& info)
    { return info.mismatch(image.empty() ? info.image : image, info.stateDir, arch); };
    bool failed = false;
    for (const auto& from : sources)
    {
        try
        {
            _fetched = state::Fetched::fetch(*store(from), fits);
        }
        catch (const base::CancelledException&)
        {
            throw;
        }
        catch (const Poco::Exception& e)
        {
            _warning("the state snapshot " + from.text + " cannot be used (" +
                     base::userMessage(e) + "); trying the next source, if any");
            failed = true;
            continue;
        }
        if (!_fetched)
        {
            _note("no state snapshot at " + from.text);
            continue;
        }
        _fetchedFrom = from.text;
        _note("state snapshot " + from.text + ": " + megabytes(_fetched->moved().bytes) +
              " fetched in " + base::formatDuration(_fetched->moved().seconds) + ", saved " +
              _fetched->info().created + " by " + _fetched->info().run);
        builder.setStateFill([this, &builder](const std::string& dir)
                             { return fill(builder, dir); });
        return;
    }
    const std::string cold = "the builder starts cold: no source had a usable state snapshot";
    (failed ? _warning : _note)(cold);
}

bool StateTravel::fill(builder::Builder& builder, const std::string& stateDir)
{
    const std::string why =
        _fetched->info().mismatch(builder.imageId(), stateDir, builder.engineArch());
    if (!why.empty())
    {
        _warning("the state snapshot " + _fetchedFrom + " does not fit this builder: " + why +
                 "; the builder starts cold");
        _fetched.reset();
        return true;
    }
    Poco::Timestamp started;
    const std::string parent = Poco::Path(stateDir).parent().toString();
    try
    {
        const builder::StateAttrs::Listing attrs = builder::StateAttrs::fromJson(_fetched->attrs());
        builder.copyIn(parent, [&](std::ostream& out) { _fetched->writeTar(out); });
        if (!attrs.dirs.empty())
            builder.copyIn(parent,
                           [&](std::ostream& out) { builder::StateAttrs::writeTar(attrs, out); });
    }
    catch (const base::CancelledException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        _warning("the state snapshot " + _fetchedFrom + " could not be restored (" +
                 base::userMessage(e) + "); the builder starts cold");
        _fetched.reset();
        return false;
    }
    _outcome.restoredFrom = _fetchedFrom;
    _outcome.restored = _fetched->moved();
    _outcome.coldBuildSeconds = _fetched->info().coldBuildSeconds;
    _outcome.restored.seconds += started.elapsed() / 1e6;
    _note("state restored from " + _fetchedFrom + ": " + megabytes(_fetched->info().bytes) +
          " in " + base::formatDuration(_outcome.restored.seconds));
    _fetched.reset();
    return true;
}

const builder::StateSave* StateTravel::save(builder::Builder& builder)
{
    if (!_plan.to)
        return nullptr;
    _save =
        builder::StateSave{[this, &builder](const std::string& dir) { beforeStop(builder, dir); },
                           [this, &builder](const std::string& dir) { afterStop(builder, dir); }};
    return &*_save;
}

void StateTravel::beforeStop(builder::Builder& builder, const std::string& stateDir)
{
    std::string why;
    if (!builder.prune(_plan.maxBytes, why))
        _warning("pruning the build cache before saving the state failed: " + Poco::trim(why));
    _attrs.reset();
    try
    {
        _attrs = builder.stateAttrs(stateDir, why);
    }
    catch (const Poco::DataFormatException& e)
    {
        why = e.displayText();
    }
    if (!_attrs)
        _warning("the state is not saved: its extended attributes cannot be listed (" +
                 Poco::trim(why) + ")");
    else if (_attrs->lost > 0)
        _warning(Poco::format("%z files of the state have extended attributes the "
                              "snapshot does not carry",
                              _attrs->lost));
}

void StateTravel::afterStop(builder::Builder& builder, const std::string& stateDir)
{
    if (!_attrs)
        return;
    state::SnapshotInfo info;
    // The image the daemon ran (teardown knows the builder by name only).
    info.image = builder.containerImageId();
    info.stateDir = stateDir;
    info.arch = builder.engineArch();
    info.created =
        Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FORMAT);
    info.run = _run;
    info.coldBuildSeconds =
        _outcome.restoredFrom.empty() ? _buildSeconds : _outcome.coldBuildSeconds;
    try
    {
        _outcome.saved =
            state::save(*store(*_plan.to), info, builder::StateAttrs::toJson(*_attrs),
                        [&](std::ostream& out)
                        {
                            if (!builder.copyOut(stateDir, out))
                                throw base::UnavailableException("the builder has no " + stateDir);
                        });
    }
    catch (const base::CancelledException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        _warning("the state is not saved to " + _plan.to->text + " (" + base::userMessage(e) +
                 "); what was there is left as it was");
        return;
    }
    catch (const std::exception& e)
    {
        _warning("the state is not saved to " + _plan.to->text + " (" + e.what() +
                 "); what was there is left as it was");
        return;
    }
    _outcome.savedTo = _plan.to->text;
    _note("state saved to " + _plan.to->text + ": " + megabytes(_outcome.saved.bytes) + " (" +
          megabytes(_outcome.saved.raw) + " before compression) in " +
          base::formatDuration(_outcome.saved.seconds));
}

void StateTravel::setBuild(double seconds, bool cold)
{
    _buildSeconds = cold ? seconds : 0;
}

const StateTravel::Outcome& StateTravel::outcome() const
{
    return _outcome;
}

} // namespace hoist::travel
