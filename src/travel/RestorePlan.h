#pragma once

#include "plan/StatePlan.h"

#include <vector>

namespace hoist::travel
{

/// Returns the state sources a setup tries, in order (pure): none when the plan has none, or
/// when the builder's state volume exists (volumeExists): a kept cache is warmer than any
/// snapshot and is never replaced. Of those tried, the first that holds a snapshot fitting
/// the builder fills the new volume; a source that cannot be read is skipped with a warning;
/// none at all, and the builder starts cold.
std::vector<state::Location> sourcesToTry(const plan::StatePlan& plan, bool volumeExists);

} // namespace hoist::travel
