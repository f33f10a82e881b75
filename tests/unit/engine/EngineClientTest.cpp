#include "engine/EngineClient.h"
#include "base/Error.h"
#include "engine/EngineError.h"
#include "engine/Exec.h"
#include "engine/Images.h"
#include "engine/System.h"
#include "engine/Transport.h"
#include "fakes/FakeEngineServer.h"

#include "fakes/Frames.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::engine;
using hoist::test::FakeEngineServer;
using hoist::test::frame;

namespace
{

Endpoint unixEndpoint(const std::string& path)
{
    Endpoint e;
    e.kind = Endpoint::Kind::Unix;
    e.socketPath = path;
    e.origin = "test";
    return e;
}

} // namespace

class EngineClientTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EngineClientTest);
    CPPUNIT_TEST(testNegotiatesTheLowerVersion);
    CPPUNIT_TEST(testReferencesAreEscapedInPaths);
    CPPUNIT_TEST(testMissingApiVersionMeansOldest);
    CPPUNIT_TEST(testNeverAboveWhatHoistKnows);
    CPPUNIT_TEST(testRequestsAreHttp11WithHost);
    CPPUNIT_TEST(testErrorBodyMessage);
    CPPUNIT_TEST(testNonJsonErrorBody);
    CPPUNIT_TEST(testNotFoundIsNothing);
    CPPUNIT_TEST(testErrorInsideA200PullStream);
    CPPUNIT_TEST(testBadJsonInsideAStream);
    CPPUNIT_TEST(testPullSendsTagAndAuthHeader);
    CPPUNIT_TEST(testLoadReportsLoadedImages);
    CPPUNIT_TEST(testExecKeepsFramesThatCameWithTheHeaders);
    CPPUNIT_TEST(testExecStreamsStdinAndHalfCloses);
    CPPUNIT_TEST(testUnreachableSocketSaysWhatToDo);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReferencesAreEscapedInPaths()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("localhost:5000/a/b:1@sha256:ab"),
                             refPathEscape("localhost:5000/a/b:1@sha256:ab"));
        CPPUNIT_ASSERT_EQUAL(std::string("UPPER/Case:bad%20tag%3Fx%23y"),
                             refPathEscape("UPPER/Case:bad tag?x#y"));
    }

    void testNegotiatesTheLowerVersion()
    {
        FakeEngineServer server;
        server.replyJson(200, "OK", "Api-Version: 1.43\r\n");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()));
        CPPUNIT_ASSERT_EQUAL(std::string("1.43"), client.apiVersion());
    }

    void testMissingApiVersionMeansOldest()
    {
        FakeEngineServer server;
        server.reply({{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"}});
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()));
        CPPUNIT_ASSERT_EQUAL(std::string("1.24"), client.apiVersion());
    }

    void testNeverAboveWhatHoistKnows()
    {
        FakeEngineServer server;
        server.replyJson(200, "OK", "Api-Version: 1.52\r\n");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()));
        CPPUNIT_ASSERT_EQUAL(std::string(EngineClient::MAX_API_VERSION), client.apiVersion());
    }

    void testRequestsAreHttp11WithHost()
    {
        FakeEngineServer server;
        server.replyJson(200, R"({"CgroupDriver":"cgroupfs"})");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        auto info = System(client).info();
        CPPUNIT_ASSERT_EQUAL(std::string("cgroupfs"), info.cgroupDriver);
        std::string req = server.requests().at(0);
        CPPUNIT_ASSERT(req.find("GET /v1.41/info HTTP/1.1\r\n") == 0);
        CPPUNIT_ASSERT(req.find("Host: api.moby.localhost\r\n") != std::string::npos);
    }

    void testErrorBodyMessage()
    {
        FakeEngineServer server;
        server.replyJson(409,
                         R"({"message":"Conflict. The container name \"/x\" is already in use"})");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        try
        {
            System(client).info();
            CPPUNIT_FAIL("expected an EngineApiException");
        }
        catch (const EngineApiException& e)
        {
            CPPUNIT_ASSERT_EQUAL(409, e.status());
            CPPUNIT_ASSERT_EQUAL(
                std::string("Conflict. The container name \"/x\" is already in use"),
                e.engineMessage());
            CPPUNIT_ASSERT(e.message().find("GET /v1.41/info failed (HTTP 409)") !=
                           std::string::npos);
        }
    }

    void testNonJsonErrorBody()
    {
        FakeEngineServer server;
        server.reply(
            {{"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 14\r\n\r\nplain failure\n"}});
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        try
        {
            System(client).version();
            CPPUNIT_FAIL("expected an EngineApiException");
        }
        catch (const EngineApiException& e)
        {
            CPPUNIT_ASSERT_EQUAL(500, e.status());
            CPPUNIT_ASSERT_EQUAL(std::string("plain failure"), e.engineMessage());
        }
    }

    void testNotFoundIsNothing()
    {
        FakeEngineServer server;
        server.replyJson(404, R"({"message":"No such image: nope:latest"})");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        CPPUNIT_ASSERT(!Images(client).inspect("nope:latest"));
    }

    void testErrorInsideA200PullStream()
    {
        FakeEngineServer server;
        std::string body = "{\"status\":\"Pulling from library/x\",\"id\":\"1\"}\r\n"
                           "{\"errorDetail\":{\"message\":\"manifest "
                           "unknown\"},\"error\":\"manifest unknown\"}\r\n";
        server.reply({{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n",
                       body}});
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        int seen = 0;
        try
        {
            Images(client).pull("x", "", "", [&](const JsonMessage&) { ++seen; });
            CPPUNIT_FAIL("expected an EngineApiException");
        }
        catch (const EngineApiException& e)
        {
            CPPUNIT_ASSERT_EQUAL(0, e.status());
            CPPUNIT_ASSERT_EQUAL(std::string("manifest unknown"), e.engineMessage());
        }
        CPPUNIT_ASSERT_EQUAL(1, seen);
    }

    void testBadJsonInsideAStream()
    {
        FakeEngineServer server;
        std::string body = "{\"status\":\"ok\"}\r\n{not json\r\n";
        server.reply({{"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n" + body}});
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        CPPUNIT_ASSERT_THROW(Images(client).pull("x", "", "", nullptr), EngineApiException);
    }

    void testPullSendsTagAndAuthHeader()
    {
        FakeEngineServer server;
        server.replyJson(200, "{\"status\":\"done\"}\r\n");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        Images(client).pull("localhost:5000/team/app", "linux/ARM64",
                            "eyJ1c2VybmFtZSI6InUifQ==", nullptr);
        std::string req = server.requests().at(0);
        CPPUNIT_ASSERT(req.find("POST /v1.41/images/create?fromImage=localhost%3A5000%2Fteam%2Fapp"
                                "&tag=latest&platform=linux%2Farm64 HTTP/1.1") == 0);
        CPPUNIT_ASSERT(req.find("X-Registry-Auth: eyJ1c2VybmFtZSI6InUifQ==\r\n") !=
                       std::string::npos);
    }

    void testLoadReportsLoadedImages()
    {
        FakeEngineServer server;
        server.replyJson(200, "{\"stream\":\"Loaded image: demo:1\\n\"}\r\n");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        auto loaded =
            Images(client).load([](std::ostream& out) { out << std::string(3000, 'x'); }, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loaded.size());
        CPPUNIT_ASSERT_EQUAL(std::string("demo:1"), loaded[0]);
        std::string req = server.requests().at(0);
        CPPUNIT_ASSERT(req.find("POST /v1.41/images/load?quiet=0 HTTP/1.1") == 0);
        CPPUNIT_ASSERT(req.find("Transfer-Encoding: chunked") != std::string::npos);
    }

    void testExecKeepsFramesThatCameWithTheHeaders()
    {
        FakeEngineServer server;
        server.replyJson(201, R"({"Id":"e1"})");
        // The first frames share the write with the 101 headers; the next one is split.
        std::string f3 = frame(1, "third");
        server.reply(
            {{"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
              "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" +
                  frame(1, "one ") + frame(2, "two "),
              f3.substr(0, 5), f3.substr(5)}});
        server.replyJson(200, R"({"Running":false,"ExitCode":3})");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        std::string out, err;
        ExecSpec spec;
        spec.cmd = {"sh", "-c", "x"};
        int rc = Exec(client).capture("c1", spec, out, err);
        CPPUNIT_ASSERT_EQUAL(3, rc);
        CPPUNIT_ASSERT_EQUAL(std::string("one third"), out);
        CPPUNIT_ASSERT_EQUAL(std::string("two "), err);
        auto reqs = server.requests();
        CPPUNIT_ASSERT(reqs.at(1).find("Connection: Upgrade\r\n") != std::string::npos);
        CPPUNIT_ASSERT(reqs.at(1).find("Content-Length: 28\r\n") != std::string::npos);
    }

    void testExecStreamsStdinAndHalfCloses()
    {
        FakeEngineServer server;
        server.replyJson(201, R"({"Id":"e2"})");
        server.reply({{"HTTP/1.1 101 UPGRADED\r\n\r\n"}, true});
        server.replyJson(200, R"({"Running":false,"ExitCode":0})");
        EngineClient client(Transport(unixEndpoint(server.path()), Timeouts()), "1.41");
        std::string payload(300000, 'p');
        std::istringstream in(payload);
        ExecSpec spec;
        spec.cmd = {"cat"};
        int rc = Exec(client).run("c1", spec, &in, [](int, const char*, std::size_t) {});
        CPPUNIT_ASSERT_EQUAL(0, rc);
        // The server read to EOF, so the client half-closed after the whole payload.
        CPPUNIT_ASSERT_EQUAL(payload.size(), server.received().size());
    }

    void testUnreachableSocketSaysWhatToDo()
    {
        EngineClient client(Transport(unixEndpoint("/nonexistent/docker.sock"), Timeouts()),
                            "1.41");
        try
        {
            client.ping();
            CPPUNIT_FAIL("expected an UnavailableException");
        }
        catch (const base::UnavailableException& e)
        {
            CPPUNIT_ASSERT(e.message().find("cannot reach the Docker engine at "
                                            "unix:///nonexistent/docker.sock (chosen by test)") ==
                           0);
            CPPUNIT_ASSERT(e.message().find("hint: start the Docker engine") != std::string::npos);
            CPPUNIT_ASSERT_EQUAL(69, base::exitCodeFor(e));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineClientTest);
