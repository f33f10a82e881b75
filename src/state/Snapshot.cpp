// This file implements what a state snapshot says of itself: its artifact's media types, its
// config's JSON, and why it cannot fill a given builder's volume.

#include "state/Snapshot.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace hoist::state
{

const char* const MediaTypes::ARTIFACT = "application/vnd.hoist.state.v1";
const char* const MediaTypes::CONFIG = "application/vnd.hoist.state.config.v1+json";
const char* const MediaTypes::ATTRS = "application/vnd.hoist.state.xattrs.v1+json";
const char* const MediaTypes::CHUNK = "application/vnd.hoist.state.chunk.v1.tar+zstd";

std::string SnapshotInfo::toJson() const
{
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("format", format);
    o.set("image", image);
    o.set("stateDir", stateDir);
    o.set("arch", arch);
    o.set("created", created);
    o.set("run", run);
    o.set("bytes", static_cast<Poco::UInt64>(bytes));
    o.set("coldBuildSeconds", coldBuildSeconds);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

SnapshotInfo SnapshotInfo::fromJson(const std::string& json)
{
    try
    {
        auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
        SnapshotInfo i;
        i.format = o->getValue<int>("format");
        i.image = o->getValue<std::string>("image");
        i.stateDir = o->getValue<std::string>("stateDir");
        i.arch = o->getValue<std::string>("arch");
        i.created = o->optValue<std::string>("created", "");
        i.run = o->optValue<std::string>("run", "");
        i.bytes = o->getValue<Poco::UInt64>("bytes");
        i.coldBuildSeconds = o->optValue<double>("coldBuildSeconds", 0);
        return i;
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::DataFormatException("not a hoist state snapshot's config: " + e.displayText());
    }
}

std::string SnapshotInfo::mismatch(const std::string& otherImage, const std::string& otherDir,
                                   const std::string& otherArch) const
{
    if (format != 1)
        return "it is of format " + std::to_string(format) + ", this hoist reads format 1";
    if (image != otherImage)
        return "it was made by another BuildKit image (" + image + ", this builder runs " +
               otherImage + ")";
    if (stateDir != otherDir)
        return "its state lived at " + stateDir + ", this builder's lives at " + otherDir;
    if (arch != otherArch)
        return "it was made on a " + arch + " engine, this one is " + otherArch;
    return "";
}

} // namespace hoist::state
