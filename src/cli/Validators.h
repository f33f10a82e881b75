#pragma once
// Value checks shared by the rows of the option table.

#include "cli/OptionSpec.h"

#include <string>
#include <vector>

namespace hoist::cli
{

/// Accepts exactly one of choices.
Validator oneOf(std::vector<std::string> choices);

/// Accepts a builder name as buildx does: letters, digits, '-', '_' and '.', starting with a
/// letter or digit.
Validator builderName();

/// Accepts a duration as base::parseDuration() does ("30s", "5m", "1m30s", "90").
Validator duration();

/// Accepts a path of a file to be written: its directory must exist (the file need not), so a
/// bad path fails before anything is built instead of after.
Validator fileToWrite();

/// Accepts a path of an existing regular file.
Validator existingFile();

} // namespace hoist::cli
