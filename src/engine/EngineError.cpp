// This file implements the engine's error replies as an exception: the request, the HTTP
// status and the daemon's own message.

#include "engine/EngineError.h"

namespace hoist::engine
{

EngineApiException::EngineApiException(const std::string& request, int status,
                                       const std::string& message)
    : Poco::Exception(request + " failed" +
                          (status ? " (HTTP " + std::to_string(status) + ")" : "") + ": " + message,
                      status),
      _status(status),
      _engineMessage(message)
{
}

int EngineApiException::status() const
{
    return _status;
}

const std::string& EngineApiException::engineMessage() const
{
    return _engineMessage;
}

const char* EngineApiException::name() const noexcept
{
    return "engine error";
}

const char* EngineApiException::className() const noexcept
{
    return "EngineApiException";
}

Poco::Exception* EngineApiException::clone() const
{
    return new EngineApiException(*this);
}

void EngineApiException::rethrow() const
{
    throw *this;
}

bool hasStatus(const Poco::Exception& exc, int status)
{
    auto* api = dynamic_cast<const EngineApiException*>(&exc);
    return api && api->status() == status;
}

} // namespace hoist::engine
