// This file implements which state sources a setup tries.

#include "travel/RestorePlan.h"

namespace hoist::travel
{

std::vector<state::Location> sourcesToTry(const plan::StatePlan& plan, bool volumeExists)
{
    if (volumeExists)
        return {};
    return plan.from;
}

} // namespace hoist::travel
