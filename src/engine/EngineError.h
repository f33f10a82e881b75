#pragma once

#include "base/Error.h"

#include <string>

namespace hoist::engine
{

/// The engine answered a request with an error: carries the HTTP status (also as code())
/// and the daemon's own message. A status of 0 means an error inside a 200 stream.
class EngineApiException : public Poco::Exception
{
public:
    /// An error for the request "VERB path" with the engine's status and message.
    EngineApiException(const std::string& request, int status, const std::string& message);

    /// Returns the HTTP status (0 for an error inside a streamed 200 response).
    int status() const;
    /// Returns the daemon's message, as it sent it.
    const std::string& engineMessage() const;

    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    int _status;
    std::string _engineMessage;
};

/// Returns true when exc is an engine error with the given status.
bool hasStatus(const Poco::Exception& exc, int status);

} // namespace hoist::engine
