// This file implements exec with the hijacked connection. One thread drives both directions
// with poll(), because a TLS connection must not be read and written from two threads.

#include "engine/Exec.h"

#include "engine/Codec.h"

#include "base/Cancellation.h"
#include "base/Log.h"
#include "engine/EngineError.h"
#include "engine/Hijacked.h"

#include <Poco/Buffer.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Thread.h>

#include <sys/socket.h>

#include <sstream>

namespace hoist::engine
{

namespace
{

const std::size_t CHUNK = 64 * 1024;

// Sends the next piece of in (pending holds what the socket has not taken yet). Returns false
// once stdin is done: all of in sent and stdin closed, or the process gone without reading it
// all (a broken pipe), when what it said is still to be read.
bool sendInput(Poco::Net::StreamSocket& socket, std::istream& in, std::string& pending)
{
    if (pending.empty())
    {
        pending.resize(CHUNK);
        in.read(&pending[0], static_cast<std::streamsize>(CHUNK));
        pending.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (pending.empty())
    {
        closeWrite(socket);
        return false;
    }
    try
    {
        const int sent = socket.sendBytes(pending.data(), static_cast<int>(pending.size()));
        if (sent > 0)
            pending.erase(0, static_cast<std::size_t>(sent));
    }
    catch (const Poco::IOException&)
    {
        return false;
    }
    return true;
}

} // namespace

void closeWrite(Poco::Net::StreamSocket& socket)
{
    if (dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()))
        ::shutdown(socket.impl()->sockfd(), SHUT_WR);
    else
        socket.shutdownSend();
}

Exec::Exec(EngineClient& client) : _client(client) {}

std::string Exec::create(const std::string& container, const ExecSpec& spec, bool attachStdin)
{
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("AttachStdin", attachStdin);
    body.set("AttachStdout", true);
    body.set("AttachStderr", true);
    body.set("Tty", false);
    Poco::JSON::Array cmd;
    for (const auto& a : spec.cmd)
        cmd.add(a);
    body.set("Cmd", cmd);
    if (!spec.env.empty())
    {
        Poco::JSON::Array env;
        for (const auto& e : spec.env)
            env.add(e);
        body.set("Env", env);
    }
    if (!spec.workingDir.empty())
        body.set("WorkingDir", spec.workingDir);
    if (!spec.user.empty())
        body.set("User", spec.user);
    body.set("Privileged", spec.privileged);
    std::ostringstream out;
    body.stringify(out);
    Request r;
    r.method = "POST";
    r.path = "/containers/" + queryEscape(container) + "/exec";
    r.body = out.str();
    return _client.send(r).json()->getValue<std::string>("Id");
}

void Exec::attach(const std::string& id, std::istream* in, const FrameDemuxer::Sink& onOutput)
{
    Request r;
    r.method = "POST";
    r.path = "/exec/" + id + "/start";
    r.body = R"({"Detach":false,"Tty":false})";
    std::unique_ptr<Hijacked> hijacked = _client.upgrade(r);
    FrameDemuxer demux(onOutput);
    if (!hijacked->early.empty())
        demux.feed(hijacked->early.data(), hijacked->early.size());
    Poco::Net::StreamSocket socket = hijacked->socket;
    socket.setReceiveTimeout(Poco::Timespan(0));

    Poco::Buffer<char> buf(CHUNK);
    std::string pending;
    bool stdinOpen = in != nullptr;
    const Poco::Timespan tick(0, 200 * 1000);
    for (;;)
    {
        base::Cancellation::check();
        // TLS may hold decrypted bytes that poll() cannot see.
        bool readable = socket.available() > 0;
        bool writable = false;
        if (!readable)
        {
            Poco::Net::Socket::SocketList reads{socket}, writes, excepts;
            if (stdinOpen)
                writes.push_back(socket);
            if (Poco::Net::Socket::select(reads, writes, excepts, tick) == 0)
                continue;
            readable = !reads.empty();
            writable = !writes.empty();
        }
        if (readable)
        {
            int n = 0;
            try
            {
                n = socket.receiveBytes(buf.begin(), static_cast<int>(buf.size()));
            }
            catch (const Poco::Net::ConnectionResetException&)
            {
                // The engine closed the stream with input of ours unread: the process ended
                // before reading it all. Its output came first; its exit code says the rest.
                if (in == nullptr)
                    throw;
            }
            if (n <= 0)
                break;
            demux.feed(buf.begin(), static_cast<std::size_t>(n));
        }
        if (writable && stdinOpen)
            stdinOpen = sendInput(socket, *in, pending);
    }
    socket.close();
}

ExecInfo Exec::inspect(const std::string& id)
{
    Request r;
    r.path = "/exec/" + id + "/json";
    r.idempotent = true;
    return Codec::exec(_client.send(r).json());
}

bool Exec::running(const std::string& id)
{
    return inspect(id).running;
}

int Exec::exitCode(const std::string& id)
{
    Request r;
    r.path = "/exec/" + id + "/json";
    r.idempotent = true;
    // The engine records the exit code before it closes the stream; wait a little anyway,
    // ExitCode is null while the process runs.
    for (int attempt = 0; attempt < 50; ++attempt)
    {
        auto info = _client.send(r).json();
        if (!info->getValue<bool>("Running") && info->has("ExitCode") && !info->isNull("ExitCode"))
            return info->getValue<int>("ExitCode");
        Poco::Thread::sleep(100);
    }
    throw EngineApiException("GET /exec/" + id + "/json", 200,
                             "the process still runs after its output ended");
}

int Exec::run(const std::string& container, const ExecSpec& spec, std::istream* in,
              const FrameDemuxer::Sink& onOutput)
{
    std::string id = create(container, spec, in != nullptr);
    base::Log::get("engine").debug("exec %s in %s: %s", id.substr(0, 12), container,
                                   spec.cmd.at(0));
    attach(id, in, onOutput);
    return exitCode(id);
}

int Exec::capture(const std::string& container, const ExecSpec& spec, std::string& out,
                  std::string& err)
{
    return run(container, spec, nullptr,
               [&](int stream, const char* data, std::size_t size)
               { (stream == 2 ? err : out).append(data, size); });
}

} // namespace hoist::engine
