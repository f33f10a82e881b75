#include "app/StateTravel.h"

#include "base/Duration.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/Images.h"
#include "engine/System.h"
#include "engine/Volumes.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Format.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

namespace hoist::app
{

namespace
{

std::string megabytes(std::uint64_t bytes)
{
    return Poco::format("%.1f MB", static_cast<double>(bytes) / 1e6);
}

} // namespace

StateTravel::StateTravel(const plan::StatePlan& plan, engine::EngineClient& client,
                         engine::RegistryAuth auth, const ci::CiContext& ci,
                         report::Console& console)
    : _plan(plan), _client(client), _auth(std::move(auth)), _ci(ci), _console(console)
{
}

std::unique_ptr<state::Store> StateTravel::store(const state::Location& at)
{
    return state::Store::open(
        at, [this](const std::string& host) { return _auth.forRegistry(host); },
        [this](const std::string& host) { return _plan.plainHttp.count(host) > 0; });
}

void StateTravel::prepare(builder::Builder& builder)
{
    if (_plan.from.empty() ||
        engine::Volumes(_client).inspect(builder.spec().volumeName()).has_value())
        return;
    // What can be told before the image is pulled and the container made: its image (when the
    // engine has it already) and the engine's architecture; the state directory comes later.
    auto image = engine::Images(_client).inspect(builder.spec().opts.image);
    const std::string arch = engineArch();
    const auto fits = [&](const state::SnapshotInfo& info)
    { return info.mismatch(image ? image->id : info.image, info.stateDir, arch); };
    bool failed = false;
    for (const auto& from : _plan.from)
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
            _console.warning("the state snapshot " + from.text + " cannot be used (" +
                             base::userMessage(e) + "); trying the next source, if any");
            failed = true;
            continue;
        }
        if (!_fetched)
        {
            _console.note("no state snapshot at " + from.text);
            continue;
        }
        _fetchedFrom = from.text;
        _console.note("state snapshot " + from.text + ": " + megabytes(_fetched->moved().bytes) +
                      " fetched in " + base::formatDuration(_fetched->moved().seconds) +
                      ", saved " + _fetched->info().created + " by " + _fetched->info().run);
        builder.setStateFill([this, &builder](const std::string& dir)
                             { return fill(builder, dir); });
        return;
    }
    const std::string cold = "the builder starts cold: no source had a usable state snapshot";
    failed ? _console.warning(cold) : _console.note(cold);
}

std::string StateTravel::engineArch()
{
    return engine::System(_client).version().arch;
}

bool StateTravel::fill(builder::Builder& builder, const std::string& stateDir)
{
    auto image = engine::Images(_client).inspect(builder.spec().opts.image);
    const std::string why =
        _fetched->info().mismatch(image ? image->id : "", stateDir, engineArch());
    if (!why.empty())
    {
        _console.warning("the state snapshot " + _fetchedFrom +
                         " does not fit this builder: " + why + "; the builder starts cold");
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
        _console.warning("the state snapshot " + _fetchedFrom + " could not be restored (" +
                         base::userMessage(e) + "); the builder starts cold");
        _fetched.reset();
        return false;
    }
    _outcome.restoredFrom = _fetchedFrom;
    _outcome.restored = _fetched->moved();
    _outcome.coldBuildSeconds = _fetched->info().coldBuildSeconds;
    _outcome.restored.seconds += started.elapsed() / 1e6;
    _console.note("state restored from " + _fetchedFrom + ": " + megabytes(_fetched->info().bytes) +
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
        _console.warning("pruning the build cache before saving the state failed: " +
                         Poco::trim(why));
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
        _console.warning("the state is not saved: its extended attributes cannot be listed (" +
                         Poco::trim(why) + ")");
    else if (_attrs->lost > 0)
        _console.warning(Poco::format("%z files of the state have extended attributes the "
                                      "snapshot does not carry",
                                      _attrs->lost));
}

void StateTravel::afterStop(builder::Builder& builder, const std::string& stateDir)
{
    if (!_attrs)
        return;
    state::SnapshotInfo info;
    // The image the daemon ran (teardown knows the builder by name only).
    auto c = engine::Containers(_client).inspect(builder.spec().containerName());
    info.image = c ? c->imageId : "";
    info.stateDir = stateDir;
    info.arch = engineArch();
    info.created =
        Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FORMAT);
    info.run = _ci.runUrl.empty() ? _ci.session : _ci.runUrl;
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
        _console.warning("the state is not saved to " + _plan.to->text + " (" +
                         base::userMessage(e) + "); what was there is left as it was");
        return;
    }
    catch (const std::exception& e)
    {
        _console.warning("the state is not saved to " + _plan.to->text + " (" + e.what() +
                         "); what was there is left as it was");
        return;
    }
    _outcome.savedTo = _plan.to->text;
    _console.note("state saved to " + _plan.to->text + ": " + megabytes(_outcome.saved.bytes) +
                  " (" + megabytes(_outcome.saved.raw) + " before compression) in " +
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

} // namespace hoist::app
