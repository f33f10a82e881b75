#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <istream>
#include <string>

namespace hoist::engine
{

/// One message of the engine's progress streams (image pull, image load): JSON objects
/// separated by "\r\n" (jsonmessage.JSONMessage).
struct JsonMessage
{
    std::string status;
    std::string id;
    std::string stream; /// text output, e.g. "Loaded image: x\n"
    long long current = 0;
    long long total = 0;
    Poco::JSON::Object::Ptr aux;
};

/// Reads a progress stream object by object, in constant memory. An object carrying
/// "errorDetail" or "error" (the engine's way of failing after it has sent 200) is thrown as
/// EngineApiException with status 0; what names the request in that message.
class JsonMessageStream
{
public:
    /// Calls onMessage for each message of in until its end. Throws EngineApiException for an
    /// error message or for data that is not JSON.
    static void read(std::istream& in, const std::string& what,
                     const std::function<void(const JsonMessage&)>& onMessage);
};

} // namespace hoist::engine
