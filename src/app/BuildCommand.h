#pragma once

#include "app/EngineConnection.h"
#include "app/Prepare.h"
#include "base/Env.h"
#include "base/Problem.h"
#include "builder/Builder.h"
#include "buildrun/BuildStep.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "plan/BuildPlan.h"
#include "report/Console.h"
#include "report/LivePanel.h"
#include "report/RunReport.h"

#include <ostream>
#include <string>
#include <vector>

namespace hoist::app
{

/// `hoist build [CONTEXT]`: builds on a running builder made by `hoist setup`.
class BuildCommand
{
public:
    /// Validates everything (problems holds the parser's), then builds. Progress goes to err.
    /// Returns the exit code: 0, or 1 when the build itself failed.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);

    /// Plans and prepares the build of options; appends its problems.
    static PreparedBuild plan(const cli::Options& options, const ci::CiContext& ci,
                              const base::Env& env, base::Problems& problems);

    /// Returns the CI report of command's build on builder, before it runs.
    static report::RunReport report(const std::string& command, const std::string& builder,
                                    const PreparedBuild& build);

    /// Says the build's warnings and CI defaults on console.
    static void announce(const PreparedBuild& build, report::Console& console);

    /// Registers the emulators platforms need that the engine lacks, as options' --qemu asks
    /// (see qemu::Registrar): a build after a setup that registered none, or others, runs all
    /// the same. Nothing when they are native or registered already; a warning when they cannot
    /// be registered (a build may never run a step of them). Throws engine errors.
    static void emulate(const cli::Options& options, const base::Env& env, const ci::CiContext& ci,
                        EngineConnection& conn, builder::Builder& b,
                        const std::vector<std::string>& platforms, report::Console& console);

    /// Appends what the engine cannot take, before anything is made: several platforms to
    /// load into the classic image store. Throws engine errors.
    static void checkEngine(const cli::Options& options, const buildrun::BuildRequest& request,
                            EngineConnection& conn, base::Problems& problems);

    /// Builds through channel, the builder builderName (a running one, or a remote daemon's
    /// client; shared by `hoist build` and `hoist run`): gives
    /// buildctl the registry credentials, prints progress to err, writes the metadata and iid
    /// files, and prints on console's stdout what buildx prints there (a --call request's
    /// answer, --quiet's image ID). Progress goes to panel when given (a live terminal view).
    /// Returns the summary. Throws base::BuildFailedException when the build fails or a --call
    /// check finds warnings.
    static buildrun::BuildSummary execute(builder::BuildChannel& channel,
                                          const std::string& builderName,
                                          const PreparedBuild& build, EngineConnection& conn,
                                          const base::Env& env, const cli::Options& options,
                                          std::ostream& err, report::Console& console,
                                          report::LivePanel* panel = nullptr);
};

} // namespace hoist::app
