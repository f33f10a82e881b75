#include "app/SetupStep.h"

#include "app/QemuStep.h"
#include "base/Duration.h"

namespace hoist::app
{

namespace
{

builder::PullPolicy pullPolicy(const std::string& s)
{
    return s == "always"  ? builder::PullPolicy::Always
           : s == "never" ? builder::PullPolicy::Never
                          : builder::PullPolicy::Missing;
}

} // namespace

builder::SetupResult SetupStep::run(const cli::ParsedCommand& cmd, engine::EngineClient& client,
                                    const engine::RegistryAuth& auth,
                                    const std::vector<std::string>& platforms,
                                    builder::Builder& builder, const std::string& image,
                                    report::Console& console)
{
    QemuStep::run(client, auth, platforms, cmd.get("qemu"), cmd.get("qemu-image"), image, console);
    return builder.setup(pullPolicy(cmd.get("image-pull")), auth.headerFor(image),
                         *base::parseDuration(cmd.get("bootstrap-timeout")));
}

} // namespace hoist::app
