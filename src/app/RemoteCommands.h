#pragma once

#include "app/EngineConnection.h"
#include "base/Env.h"
#include "base/Problem.h"
#include "builder/RemoteBuilder.h"
#include "builder/RemoteSpec.h"
#include "ci/CiContext.h"
#include "cli/Options.h"
#include "report/Console.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace hoist::app
{

/// The commands on a remote builder (buildx's remote driver, docs/multi-node.md): setup asks
/// the daemon for its workers and records the builder in buildx's store; a build runs on it
/// through a client container (builder::RemoteBuilder); run does both and forgets a builder it
/// recorded; teardown and inspect never change the daemon.
class RemoteCommands
{
public:
    /// Returns the remote builder that options' --builder names in buildx's store (made by hoist or by
    /// `docker buildx create --driver remote`); nothing when it is not one.
    static std::optional<builder::RemoteSpec> stored(const cli::Options& options,
                                                     const base::Env& env, EngineConnection& conn);

    /// Opens a channel to spec's daemon for a build of ci's job, its certificates read from
    /// the files buildx's store names. Throws base::UsageException (a certificate cannot be
    /// read) and what builder::RemoteBuilder::connect throws.
    static std::unique_ptr<builder::RemoteBuilder>
    open(const builder::RemoteSpec& spec, const cli::Options& options, const base::Env& env,
         EngineConnection& conn, const ci::CiContext& ci, report::Console& console);

    /// `hoist setup --driver remote`; CI reports go to out.
    static int setup(const cli::Options& options, const base::Env& env, report::Console& console,
                     std::ostream& out, base::Problems problems);

    /// `hoist run --driver remote`: setup's check, the build, and the store's entry removed
    /// when this run made it; progress goes to err.
    static int run(const cli::Options& options, const base::Env& env, report::Console& console,
                   std::ostream& err, base::Problems problems);

    /// `hoist teardown` of a remote builder: its entry in buildx's store only (a state to
    /// save is refused).
    static int teardown(const builder::RemoteSpec& spec, const cli::Options& options,
                        const std::string& buildxDir, report::Console& console);

    /// Returns spec's status: its daemon's workers and version, asked through a client
    /// container. Throws what open() throws (base::UnavailableException: no answer).
    static builder::BuilderStatus status(const builder::RemoteSpec& spec,
                                         const cli::Options& options, const base::Env& env,
                                         EngineConnection& conn, report::Console& console);

    /// `hoist inspect` of a remote builder: returns its status, the daemon's workers and
    /// version asked; a daemon that does not answer makes it inactive, said on console.
    static builder::BuilderStatus inspect(const builder::RemoteSpec& spec,
                                          const cli::Options& options, const base::Env& env,
                                          EngineConnection& conn, report::Console& console);
};

} // namespace hoist::app
