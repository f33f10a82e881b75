// This file implements the log channel that passes each message on with the Redactor's
// secrets replaced.

#include "base/RedactingChannel.h"

#include "base/Redactor.h"

#include <Poco/Message.h>

namespace hoist::base
{

RedactingChannel::RedactingChannel(Poco::AutoPtr<Poco::Channel> next) : _next(std::move(next)) {}

void RedactingChannel::log(const Poco::Message& msg)
{
    Poco::Message copy(msg);
    copy.setText(Redactor::instance().redact(msg.getText()));
    _next->log(copy);
}

} // namespace hoist::base
