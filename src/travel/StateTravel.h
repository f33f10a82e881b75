#pragma once

#include "builder/Builder.h"
#include "engine/RegistryAuth.h"
#include "plan/StatePlan.h"
#include "state/Snapshots.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace hoist::travel
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

    /// Says what happened: a note, or a warning.
    using Say = std::function<void(const std::string&)>;

    /// Travel along plan with auth's credentials; run names this job in the snapshots it saves
    /// (the CI run's URL, else its session).
    StateTravel(const plan::StatePlan& plan, engine::RegistryAuth auth, std::string run, Say note,
                Say warning);

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

    const plan::StatePlan& _plan;
    engine::RegistryAuth _auth;
    std::string _run;
    Say _note;
    Say _warning;
    std::unique_ptr<state::Fetched> _fetched;
    std::string _fetchedFrom;
    std::optional<builder::StateSave> _save;
    std::optional<builder::StateAttrs::Listing> _attrs; /// listed before the stop; unset: skip
    Outcome _outcome;
    double _buildSeconds = 0;
};

} // namespace hoist::travel
