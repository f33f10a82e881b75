// This file implements how a problem reads.

#include "base/Problem.h"

namespace hoist::base
{

std::string Problem::message() const
{
    return hint.empty() ? text : text + "\nhint: " + hint;
}

} // namespace hoist::base
