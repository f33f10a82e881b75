#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

namespace hoist::base
{

/// A log channel that removes every secret known to the Redactor from a message before
/// passing it on, so no logger can leak a token. Wraps the channel that really writes.
class RedactingChannel : public Poco::Channel
{
public:
    /// Forwards redacted messages to next.
    explicit RedactingChannel(Poco::AutoPtr<Poco::Channel> next);

    /// Redacts msg's text and forwards it.
    void log(const Poco::Message& msg) override;

private:
    Poco::AutoPtr<Poco::Channel> _next;
};

} // namespace hoist::base
