// This file implements the result file (--result-file): a command's outcome, builder, state
// moves and build as JSON, written atomically.

#include "report/ResultFile.h"

#include "base/AtomicFile.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace hoist::report
{

namespace
{

Poco::Dynamic::Var move(const StateMove& m)
{
    if (m.where.empty())
        return Poco::Dynamic::Var();
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("where", m.where);
    o->set("bytes", static_cast<Poco::UInt64>(m.bytes));
    o->set("rawBytes", static_cast<Poco::UInt64>(m.raw));
    o->set("seconds", m.seconds);
    return o;
}

} // namespace

std::string ResultFile::json(const RunReport& r)
{
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    root->set("command", r.command);
    root->set("exitCode", r.exitCode);
    root->set("seconds", r.seconds);
    if (!r.error.empty())
        root->set("error", r.error);
    Poco::JSON::Object::Ptr b = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    b->set("name", r.builder);
    b->set("action", r.builderAction);
    b->set("warmState", r.warmState);
    b->set("buildkitVersion", r.buildkitVersion);
    Poco::JSON::Array::Ptr platforms = new Poco::JSON::Array;
    for (const auto& p : r.platforms)
        platforms->add(p);
    b->set("platforms", platforms);
    b->set("volume", r.volume);
    b->set("keptVolume", r.keptVolume);
    root->set("builder", b);
    Poco::JSON::Object::Ptr st = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    st->set("restored", move(r.stateRestored));
    st->set("saved", move(r.stateSaved));
    root->set("state", st);
    if (r.built)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("digest", r.build.digest);
        o->set("imageId", r.build.imageId);
        o->set("imageName", r.build.imageName);
        Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
        for (const auto& t : r.tags)
            tags->add(t);
        o->set("tags", tags);
        o->set("steps", r.build.steps);
        o->set("cached", r.build.cached);
        o->set("seconds", r.build.seconds);
        o->set("contextBytes", r.build.contextBytes);
        try
        {
            if (!r.build.metadata.empty())
                o->set("metadata", Poco::JSON::Parser().parse(r.build.metadata));
        }
        catch (const Poco::Exception&)
        {
        }
        root->set("build", o);
    }
    std::ostringstream out;
    root->stringify(out, 2);
    return out.str() + "\n";
}

void ResultFile::write(const std::string& path, const RunReport& report)
{
    base::AtomicFile::put(path, json(report));
}

} // namespace hoist::report
