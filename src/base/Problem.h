#pragma once

#include <string>
#include <vector>

namespace hoist::base
{

/// Something wrong with what the user gave, found before anything is made: the input as the
/// user gave it ("--tag", "HOIST_TAG", "the action input tags"; "" when no one input is at
/// fault), what is wrong (the sentence as it reads, naming the input), and how to fix it ("" when
/// the sentence says it).
struct Problem
{
    std::string input;
    std::string text;
    std::string hint;

    /// Returns the problem as the user reads it: the text, then a line "hint: " and the hint.
    std::string message() const;
};

/// Every problem found, reported all at once.
using Problems = std::vector<Problem>;

} // namespace hoist::base
