#pragma once

#include "base/Env.h"
#include "base/Problem.h"
#include "buildrun/BuildRequest.h"
#include "buildrun/ContextTar.h"
#include "plan/BuildPlan.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// A build ready to run: the plan's request with the secrets' values, and its context scanned.
struct PreparedBuild
{
    buildrun::BuildRequest request;
    buildrun::ContextTar context;
    std::vector<std::string> warnings;   /// the plan's, said before the build
    std::vector<std::string> ciDefaults; /// what the CI defaults added
    std::string ciDefaultsOff;           /// how to turn them off, for the log and the summary
};

/// The side effects the pure plan leaves out, in one step: the .dockerignore read and the
/// context scanned with it, each secret's value read (variable or file), every secret and the
/// gha token registered for redaction everywhere hoist prints or writes. Appends problems
/// (unreadable ignore file or context entries, secrets that cannot be read or are too big).
PreparedBuild prepare(const plan::BuildPlan& plan, const base::Env& env, base::Problems& problems);

} // namespace hoist::app
