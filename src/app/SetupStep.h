#pragma once

#include "base/Problem.h"
#include "builder/Builder.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "engine/EngineClient.h"
#include "engine/RegistryAuth.h"
#include "plan/StatePlan.h"
#include "report/Console.h"
#include "travel/StateTravel.h"

#include <string>
#include <vector>

namespace hoist::app
{

/// The setup phase of `setup` and `run`: the emulators first, since BuildKit lists the
/// platforms it can run when it starts, then the builder, its image pulled per the pull policy
/// with the credentials the engine has for it.
class SetupStep
{
public:
    /// Appends what the engine lacks for spec (builder::Preflight), before anything is made.
    static void preflight(const cli::Options& options, engine::EngineClient& client,
                          const builder::BuilderSpec& spec, base::Problems& problems);

    /// Returns the state's travel along plan for a job of ci, telling console.
    static travel::StateTravel stateTravel(const plan::StatePlan& plan, engine::RegistryAuth auth,
                                           const ci::CiContext& ci, report::Console& console);

    /// Registers what platforms need and sets the builder up, as options ask, remembering in
    /// env's cache what it learns of the engine; holdForJob keeps it for this job until its
    /// teardown (see builder::Builder::setup). Returns what setup did. Throws as
    /// qemu::Registrar::run() and builder::Builder::setup() do.
    static builder::SetupResult run(const cli::Options& options, const base::Env& env,
                                    engine::EngineClient& client, const engine::RegistryAuth& auth,
                                    const std::vector<std::string>& platforms,
                                    builder::Builder& builder, report::Console& console,
                                    bool holdForJob = false);
};

} // namespace hoist::app
