#pragma once

#include "builder/Builder.h"
#include "ci/CiContext.h"
#include "engine/RegistryAuth.h"
#include "plan/StatePlan.h"
#include "report/Console.h"
#include "state/Snapshots.h"

#include <memory>
#include <optional>
#include <string>

namespace hoist::app
{

/// The builder's state travelling for one command (docs/state.md): a new state volume filled
/// from the plan's first source that has a snapshot, before buildkitd starts; the state saved
/// to the plan's destination at teardown. Never worse than cold: a missing, unreadable,
/// damaged or foreign snapshot is a warning and an empty volume, a failed save a warning that
/// leaves the stored snapshot as it was.
class StateTravel
{
public:
    /// What moved, for the report.
    struct Outcome
    {
        std::string restoredFrom; /// "" when nothing was restored
        state::Moved restored;
        std::string savedTo; /// "" when nothing was saved
        state::Moved saved;
        double coldBuildSeconds = 0; /// the restored snapshot's (0: unknown or none restored)
    };

    /// Travel along plan for builder, on client's engine, with auth's credentials.
    StateTravel(const plan::StatePlan& plan, engine::EngineClient& client,
                engine::RegistryAuth auth, const ci::CiContext& ci, report::Console& console);

    /// Before setup: when the builder has no state volume yet and the plan a source, fetches
    /// the snapshot and gives the builder the fill that restores it.
    void prepare(builder::Builder& builder);

    /// Returns teardown's save, or nullptr when the plan has no destination.
    const builder::StateSave* save(builder::Builder& builder);

    /// Tells how long this job's builds took, and whether they started cold (no volume, nothing
    /// restored): saved with the state as what a restored job saves.
    void setBuild(double seconds, bool cold);

    /// Returns what moved.
    const Outcome& outcome() const;

private:
    std::unique_ptr<state::Store> store(const state::Location& at);
    bool fill(builder::Builder& builder, const std::string& stateDir);
    void beforeStop(builder::Builder& builder, const std::string& stateDir);
    void afterStop(builder::Builder& builder, const std::string& stateDir);
    std::string engineArch();

    const plan::StatePlan& _plan;
    engine::EngineClient& _client;
    engine::RegistryAuth _auth;
    const ci::CiContext& _ci;
    report::Console& _console;
    std::unique_ptr<state::Fetched> _fetched;
    std::string _fetchedFrom;
    std::optional<builder::StateSave> _save;
    std::optional<builder::StateAttrs::Listing> _attrs; /// listed before the stop; unset: skip
    Outcome _outcome;
    double _buildSeconds = 0;
};

} // namespace hoist::app
