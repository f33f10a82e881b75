// This file implements the setup phase of `setup` and `run`: the builder's preflight, the
// state's travel, the emulators registered, then the builder set up with its image's credentials.

#include "app/SetupStep.h"

#include "base/Files.h"

#include "app/Settings.h"
#include "builder/Preflight.h"
#include "qemu/Registrar.h"

namespace hoist::app
{

void SetupStep::preflight(const cli::Options& options, engine::EngineClient& client,
                          const builder::BuilderSpec& spec, base::Problems& problems)
{
    builder::Preflight::check(client, spec.opts, options.setup.driverOpts.name(), problems);
}

travel::StateTravel SetupStep::stateTravel(const plan::StatePlan& plan, engine::RegistryAuth auth,
                                           const ci::CiContext& ci, report::Console& console)
{
    return travel::StateTravel(
        plan, std::move(auth), ci.runUrl.empty() ? ci.session : ci.runUrl,
        [&console](const std::string& n) { console.note(n); },
        [&console](const std::string& w) { console.warning(w); });
}

builder::SetupResult SetupStep::run(const cli::Options& options, const base::Env& env,
                                    engine::EngineClient& client, const engine::RegistryAuth& auth,
                                    const std::vector<std::string>& platforms,
                                    builder::Builder& builder, report::Console& console,
                                    bool holdForJob)
{
    const std::string& image = builder.spec().opts.image;
    qemu::Registrar(
        client, auth, Settings::qemuHints(options), [&](const std::string& n) { console.note(n); },
        [&](const std::string& w) { console.warning(w); })
        .run(platforms, qemu::modeNamed(options.setup.qemu.value), options.setup.qemuImage.value,
             image);
    builder.setHints(Settings::builderHints(options));
    builder.setEngineMemory(builder::EngineMemory(base::cacheDir(env) + "/engines"));
    return builder.setup(builder::pullPolicyNamed(options.setup.imagePull.value),
                         auth.headerFor(image), options.setup.bootstrapTimeout.value, holdForJob);
}

} // namespace hoist::app
