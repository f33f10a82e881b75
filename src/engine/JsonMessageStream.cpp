// This file implements reading the engine's progress streams a JSON object a line, an object
// with an error thrown as the engine's error.

#include "engine/JsonMessageStream.h"

#include "base/Cancellation.h"
#include "engine/EngineError.h"

#include <Poco/JSON/Parser.h>

namespace hoist::engine
{

namespace
{

std::string text(const Poco::JSON::Object::Ptr& obj, const std::string& key)
{
    return obj->has(key) && !obj->isNull(key) ? obj->get(key).convert<std::string>() : "";
}

void decode(const std::string& line, const std::string& what,
            const std::function<void(const JsonMessage&)>& onMessage)
{
    Poco::JSON::Object::Ptr obj;
    try
    {
        obj = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw EngineApiException(what, 0,
                                 "unreadable progress from the engine: " + e.displayText());
    }
    if (auto detail = obj->getObject("errorDetail"))
        throw EngineApiException(what, 0, text(detail, "message"));
    if (obj->has("error") && !obj->isNull("error"))
        throw EngineApiException(what, 0, text(obj, "error"));
    JsonMessage m;
    m.status = text(obj, "status");
    m.id = text(obj, "id");
    m.stream = text(obj, "stream");
    if (auto detail = obj->getObject("progressDetail"))
    {
        if (detail->has("current"))
            m.current = detail->getValue<long long>("current");
        if (detail->has("total"))
            m.total = detail->getValue<long long>("total");
    }
    m.aux = obj->getObject("aux");
    onMessage(m);
}

} // namespace

void JsonMessageStream::read(std::istream& in, const std::string& what,
                             const std::function<void(const JsonMessage&)>& onMessage)
{
    // Objects end in "\r\n" but may come without it at the end; a line is one object. The
    // engine never puts a raw newline inside one (JSON escapes it).
    std::string line;
    while (std::getline(in, line))
    {
        base::Cancellation::check();
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            decode(line, what, onMessage);
    }
}

} // namespace hoist::engine
