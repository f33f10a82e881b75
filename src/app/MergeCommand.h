#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist merge`: one multi-platform image of images pushed by digest (the legs of a build on
/// native runners), pushed to each tag; a registry client only, with the docker config's
/// logins and the CI's own.
class MergeCommand
{
public:
    /// Validates everything (problems holds the parser's), reads the sources, merges and
    /// pushes (or prints the index with --dry-run). Returns the exit code.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);
};

} // namespace hoist::app
