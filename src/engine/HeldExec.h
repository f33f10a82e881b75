#pragma once

#include "engine/EngineClient.h"
#include "engine/Exec.h"

#include <Poco/Timespan.h>

#include <memory>
#include <string>

namespace hoist::engine
{

/// A process in a container that lives as long as this client holds it: its stdin stays open,
/// sending nothing, until release() — or until this process dies, when the engine closes the
/// connection all the same. The process reads end-of-file then and knows its client is gone,
/// however it went (done, cancelled, SIGKILL, OOM). Its liveness is visible to anyone on the
/// engine (exec inspect), from any machine or PID namespace.
class HeldExec
{
public:
    /// Starts spec in container and holds it. Throws EngineApiException (404 no such
    /// container, 409 not running).
    HeldExec(EngineClient& client, const std::string& container, const ExecSpec& spec);

    /// Releases it (see release()).
    ~HeldExec();

    HeldExec(const HeldExec&) = delete;
    HeldExec& operator=(const HeldExec&) = delete;

    /// Closes the connection: the process reads end-of-file. Idempotent.
    void release();

    /// Releases it and waits up to timeout for the process to end; returns false when it still
    /// runs (or its state cannot be read). Only its stdin is closed, and the engine closing
    /// the rest says the process has ended: no polling.
    bool releaseAndWait(Poco::Timespan timeout);

    /// Returns the exec's id.
    const std::string& id() const;

private:
    struct Connection;
    void drainUntilClosed(Poco::Timespan timeout);

    EngineClient& _client;
    std::string _id;
    std::unique_ptr<Connection> _connection;
};

} // namespace hoist::engine
