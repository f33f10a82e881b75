// This file implements what hoist remembers of an engine between setups: a small JSON file per
// engine under hoist's cache directory.

#include "builder/EngineMemory.h"

#include "base/AtomicFile.h"
#include "base/Digest.h"
#include "base/Strings.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace hoist::builder
{

namespace
{

const Poco::Timestamp::TimeDiff WEEK = 7LL * 24 * 3600 * Poco::Timestamp::resolution();

} // namespace

EngineMemory::EngineMemory(std::string dir) : _dir(std::move(dir)) {}

std::string EngineMemory::fileFor(const engine::SystemInfo& e) const
{
    const std::string what = base::join({e.id, e.serverVersion, e.kernelVersion, e.defaultRuntime,
                                         base::join(e.securityOptions, ";")},
                                        "\n");
    return _dir + "/engine-" + base::sha256Hex(what).substr(0, 32) + ".json";
}

std::optional<bool> EngineMemory::refusesPrivileged(const engine::SystemInfo& engine) const
{
    if (engine.id.empty())
        return std::nullopt;
    try
    {
        Poco::FileInputStream in(fileFor(engine));
        auto o = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        const Poco::Timestamp at(o->getValue<Poco::Int64>("learnt") *
                                 Poco::Timestamp::resolution());
        if (at.isElapsed(WEEK))
            return std::nullopt;
        return o->getValue<bool>("refusesPrivileged");
    }
    catch (const Poco::Exception&)
    {
        return std::nullopt;
    }
}

void EngineMemory::rememberPrivileged(const engine::SystemInfo& engine, bool refuses) const
{
    if (engine.id.empty())
        return;
    try
    {
        Poco::File(_dir).createDirectories();
        Poco::JSON::Object o;
        o.set("engine", engine.id);
        o.set("refusesPrivileged", refuses);
        o.set("learnt", static_cast<Poco::Int64>(Poco::Timestamp().epochTime()));
        std::ostringstream text;
        o.stringify(text);
        base::AtomicFile::put(fileFor(engine), text.str() + "\n");
    }
    catch (const Poco::Exception&)
    {
        // Only the next setup is slower.
    }
}

} // namespace hoist::builder
