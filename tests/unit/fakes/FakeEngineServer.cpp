#include "FakeEngineServer.h"

#include <Poco/File.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <cstdlib>
#include <unistd.h>

namespace hoist::test
{

namespace
{

const char* statusText(int status)
{
    switch (status)
    {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    default:
        return "Internal Server Error";
    }
}

// Reads one request: headers, then a Content-Length or chunked body.
std::string readRequest(Poco::Net::StreamSocket& s)
{
    std::string data;
    char buf[4096];
    std::size_t headerEnd;
    while ((headerEnd = data.find("\r\n\r\n")) == std::string::npos)
    {
        int n = s.receiveBytes(buf, sizeof(buf));
        if (n <= 0)
            return data;
        data.append(buf, n);
    }
    std::string lower = Poco::toLower(data.substr(0, headerEnd));
    auto cl = lower.find("content-length: ");
    if (cl != std::string::npos)
    {
        std::size_t len =
            Poco::NumberParser::parse(lower.substr(cl + 16, lower.find("\r\n", cl) - cl - 16));
        while (data.size() < headerEnd + 4 + len)
        {
            int n = s.receiveBytes(buf, sizeof(buf));
            if (n <= 0)
                break;
            data.append(buf, n);
        }
    }
    else if (lower.find("transfer-encoding: chunked") != std::string::npos)
    {
        while (data.find("\r\n0\r\n\r\n", headerEnd) == std::string::npos)
        {
            int n = s.receiveBytes(buf, sizeof(buf));
            if (n <= 0)
                break;
            data.append(buf, n);
        }
    }
    return data;
}

} // namespace

FakeEngineServer::FakeEngineServer()
{
    char tmpl[] = "/tmp/hoist-fake-engine.XXXXXX";
    _dir = ::mkdtemp(tmpl);
    _path = _dir + "/docker.sock";
    _server.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, _path));
    _server.listen(16);
    _thread = std::thread([this] { serve(); });
}

FakeEngineServer::~FakeEngineServer()
{
    _stop = true;
    _server.close();
    _thread.join();
    Poco::File(_dir).remove(true);
}

void FakeEngineServer::reply(Reply r)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _replies.push_back(std::move(r));
}

void FakeEngineServer::replyJson(int status, const std::string& body, const std::string& headers)
{
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + statusText(status) + "\r\n" +
                       "Content-Type: application/json\r\nApi-Version: 1.41\r\n" + headers +
                       "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    reply({{head + body}, false});
}

const std::string& FakeEngineServer::path() const
{
    return _path;
}

std::vector<std::string> FakeEngineServer::requests()
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _requests;
}

std::string FakeEngineServer::received()
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _received;
}

void FakeEngineServer::serve()
{
    while (!_stop)
    {
        if (!_server.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ))
            continue;
        Poco::Net::StreamSocket s;
        try
        {
            s = _server.acceptConnection();
        }
        catch (const Poco::Exception&)
        {
            continue;
        }
        std::string request = readRequest(s);
        Reply r;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _requests.push_back(request);
            if (_next < _replies.size())
                r = _replies[_next++];
            else
                r.pieces = {"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 23\r\n\r\n"
                            "no canned reply queued\n"};
        }
        for (const auto& piece : r.pieces)
        {
            s.sendBytes(piece.data(), static_cast<int>(piece.size()));
            Poco::Thread::sleep(5);
        }
        if (r.readStdinUntilEof)
        {
            char buf[4096];
            int n;
            while ((n = s.receiveBytes(buf, sizeof(buf))) > 0)
            {
                std::lock_guard<std::mutex> lock(_mutex);
                _received.append(buf, n);
            }
        }
        s.shutdownSend();
        s.close();
    }
}

} // namespace hoist::test
