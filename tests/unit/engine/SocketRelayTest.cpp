// The local end of a socket relay against a canned engine: a connection whose target refuses
// is ended alone (one close frame to the container), and what the container still sends for
// it is dropped, never a new connection in the middle of its stream.

#include "engine/SocketRelay.h"
#include "engine/Transport.h"
#include "fakes/FakeEngineServer.h"
#include "fakes/Frames.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::engine;
using hoist::test::FakeEngineServer;

class SocketRelayTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SocketRelayTest);
    CPPUNIT_TEST(testFramesRoundTrip);
    CPPUNIT_TEST(testARefusedConnectionEndsAloneAndItsBytesAreDropped);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFramesRoundTrip()
    {
        std::string got;
        RelayFrames::Reader reader([&](std::uint32_t id, const char* d, std::uint32_t n)
                                   { got += std::to_string(id) + ":" + std::string(d, n) + ";"; });
        const std::string stream = RelayFrames::frame(7, "ab", 2) + RelayFrames::frame(9, "", 0);
        for (char c : stream)
            reader.feed(&c, 1); // byte by byte: frames split anywhere
        CPPUNIT_ASSERT_EQUAL(std::string("7:ab;9:;"), got);
    }

    void testARefusedConnectionEndsAloneAndItsBytesAreDropped()
    {
        // A TCP port nobody listens on: bound, then closed.
        std::uint16_t port;
        {
            Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
            port = s.address().port();
        }
        FakeEngineServer server;
        server.replyJson(201, R"({"Id":"r1"})");
        server.reply(
            {{"HTTP/1.1 101 UPGRADED\r\n\r\n", test::frame(1, RelayFrames::frame(1, "first", 5)),
              test::frame(1, RelayFrames::frame(1, "more", 4))},
             true});
        Endpoint endpoint;
        endpoint.kind = Endpoint::Kind::Unix;
        endpoint.socketPath = server.path();
        endpoint.origin = "test";
        EngineClient client(Transport(endpoint, Timeouts()), "1.41");
        ExecSpec spec;
        spec.cmd = {"relay"};
        {
            SocketRelay relay(client, "c1", spec, "tcp://127.0.0.1:" + std::to_string(port));
            Poco::Thread::sleep(1000); // its frames handled (a wait, not a timed assertion)
        }
        // One close frame for connection 1; "more" reconnected nothing.
        CPPUNIT_ASSERT(server.received() == RelayFrames::frame(1, nullptr, 0));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SocketRelayTest);
