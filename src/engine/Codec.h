#pragma once

#include "engine/Requests.h"
#include "engine/Types.h"

#include <Poco/JSON/Object.h>

namespace hoist::engine
{

/// The engine's JSON replies turned into the records of engine/Types.h, and hoist's typed
/// requests (engine/Requests.h) into the engine's JSON: the one place that spells their field
/// names. Missing fields give empty values; nothing throws.
class Codec
{
public:
    /// Returns the body of POST /containers/create for create (a pointer: Poco 1.11 cannot copy
    /// an Object that keeps its key order).
    static Poco::JSON::Object::Ptr encode(const ContainerCreate& create);

    static ContainerInfo container(const Poco::JSON::Object::Ptr& json);
    static ExecInfo exec(const Poco::JSON::Object::Ptr& json);
    static ImageInfo image(const Poco::JSON::Object::Ptr& json);
    static VolumeInfo volume(const Poco::JSON::Object::Ptr& json);
    static VersionInfo version(const Poco::JSON::Object::Ptr& json);
    static SystemInfo system(const Poco::JSON::Object::Ptr& json);

    /// Returns the engine's state word as a ContainerState.
    static ContainerState state(const std::string& word);
};

} // namespace hoist::engine
