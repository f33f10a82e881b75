// This file implements the helper in a builder container: this binary uploaded under a name of
// its own, once per container, and only when the engine's CPU can run it.

#include "builder/Helper.h"

#include "base/Log.h"
#include "base/TarWriter.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/NumberFormatter.h>

#include <sys/stat.h>

namespace hoist::builder
{

namespace
{

const char* SELF = "/proc/self/exe";

} // namespace

Helper::Helper(BuilderEngine& engine, std::string container)
    : _engine(engine), _container(std::move(container))
{
}

std::string Helper::ownArch()
{
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#else
    return "unknown";
#endif
}

std::string Helper::pathInContainer()
{
    struct stat st;
    if (::stat(SELF, &st) != 0)
        return "";
    // A name per binary: another hoist version in the same container uploads its own.
    return "/tmp/.hoist-helper-" + Poco::NumberFormatter::formatHex(st.st_size) + "-" +
           Poco::NumberFormatter::formatHex(st.st_mtime);
}

std::string Helper::path()
{
    if (_tried)
        return _path;
    _tried = true;
    auto& log = base::Log::get("builder");
    try
    {
        struct stat st;
        const std::string path = pathInContainer();
        if (path.empty() || ::stat(SELF, &st) != 0)
            return "";
        const std::string name = path.substr(std::string("/tmp/").size());
        auto existing = _engine.statPath(_container, path);
        if (!existing || existing->size != st.st_size)
        {
            // Uploaded only where it can run (a helper already there was checked then).
            const std::string engineArch = _engine.version().arch;
            if (engineArch != ownArch())
            {
                log.information("no helper in %s: the engine runs %s, this hoist is %s", _container,
                                engineArch, ownArch());
                return "";
            }
            _engine.putArchive(_container, "/tmp",
                               [&](std::ostream& out)
                               {
                                   Poco::FileInputStream in(SELF);
                                   base::TarWriter tar(out);
                                   base::TarWriter::Entry e;
                                   e.name = name;
                                   e.mode = 0755;
                                   tar.addFile(e, static_cast<std::uint64_t>(st.st_size), in);
                                   tar.finish();
                               });
        }
        _path = path;
    }
    catch (const Poco::Exception& e)
    {
        log.information("no helper in %s: %s", _container, e.displayText());
    }
    return _path;
}

} // namespace hoist::builder
