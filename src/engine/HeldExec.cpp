// This file implements an exec held by this client: started with its stdin kept open, released
// by closing the connection, and waited for until the engine closes its end.

#include "engine/HeldExec.h"

#include "engine/EngineError.h"
#include "engine/Hijacked.h"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

namespace hoist::engine
{

struct HeldExec::Connection
{
    Poco::Net::StreamSocket socket;
};

HeldExec::HeldExec(EngineClient& client, const std::string& container, const ExecSpec& spec)
    : _client(client)
{
    _id = Exec(client).create(container, spec, true);
    Request r;
    r.method = "POST";
    r.path = "/exec/" + _id + "/start";
    r.body = R"({"Detach":false,"Tty":false})";
    _connection = std::make_unique<Connection>();
    _connection->socket = _client.upgrade(r)->socket;
}

HeldExec::~HeldExec()
{
    release();
}

void HeldExec::release()
{
    if (!_connection)
        return;
    try
    {
        _connection->socket.close();
    }
    catch (const Poco::Exception&)
    {
    }
    _connection.reset();
}

void HeldExec::drainUntilClosed(Poco::Timespan timeout)
{
    if (!_connection)
        return;
    Poco::Timestamp started;
    try
    {
        Poco::Net::StreamSocket& socket = _connection->socket;
        closeWrite(socket);
        char buffer[4096];
        for (;;)
        {
            const Poco::Timespan left = timeout - Poco::Timespan(started.elapsed());
            if (left <= 0)
                break;
            socket.setReceiveTimeout(left);
            if (socket.receiveBytes(buffer, sizeof buffer) <= 0)
                break; // the engine closed it: the process has ended
        }
    }
    catch (const Poco::Exception&)
    {
        // A timeout or a reset: releaseAndWait's polling decides.
    }
}

bool HeldExec::releaseAndWait(Poco::Timespan timeout)
{
    Poco::Timestamp started;
    drainUntilClosed(timeout);
    release();
    for (;;)
    {
        try
        {
            if (!Exec(_client).running(_id))
                return true;
        }
        catch (const Poco::Exception&)
        {
            return false;
        }
        if (started.isElapsed(timeout.totalMicroseconds()))
            return false;
        Poco::Thread::sleep(50);
    }
}

const std::string& HeldExec::id() const
{
    return _id;
}

} // namespace hoist::engine
