// This file implements `hoist version`: the binary's build information and the default
// BuildKit image, as text or as JSON.

#include "app/VersionCommand.h"

#include "app/BuildInfo.h"
#include "base/Error.h"
#include "builder/DriverDefaults.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace hoist::app
{

int VersionCommand::run(const cli::Options& options, report::Console& console)
{
    BuildInfo info = BuildInfo::current();
    std::ostringstream out;
    if (options.common.json.value)
    {
        Poco::JSON::Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
        obj.set("version", info.version);
        obj.set("commit", info.commit);
        obj.set("commitDate", info.commitDate);
        obj.set("poco", info.poco);
        obj.set("compiler", info.compiler);
        obj.set("linkage", info.linkage);
        obj.set("platform", info.platform);
        obj.set("buildkitImage", builder::DEFAULT_BUILDKIT_IMAGE);
        obj.stringify(out, 2);
        out << "\n";
    }
    else
    {
        out << "hoist " << info.version << "\n"
            << "  commit:         " << info.commit << " (" << info.commitDate << ")\n"
            << "  poco:           " << info.poco << "\n"
            << "  compiler:       " << info.compiler << ", C++17, " << info.linkage << "\n"
            << "  platform:       " << info.platform << "\n"
            << "  buildkit image: " << builder::DEFAULT_BUILDKIT_IMAGE << "\n";
    }
    console.print(out.str());
    return base::EXIT_OK;
}

} // namespace hoist::app
