// The remote driver's channel against an engine in memory: the client container it makes,
// buildctl sent to the daemon with its certificates as files in memory, and nothing left.

#include "builder/RemoteBuilder.h"
#include "fakes/FakeEngine.h"

#include "base/Error.h"
#include "base/Strings.h"
#include "builder/MemoryFiles.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::builder;

namespace
{

RemoteSpec spec(bool tls)
{
    RemoteSpec s;
    s.name = "far";
    s.endpoint = "tcp://10.0.0.5:1234";
    s.clientImage = "moby/buildkit:buildx-stable-1";
    s.session = "job-1";
    if (tls)
        s.cacert = "/c/ca.pem", s.cert = "/c/cert.pem", s.key = "/c/key.pem";
    return s;
}

const RemoteTls TLS = {"-----CA-----", "-----CERT-----", "-----KEY-----"};

// The argv of the last process that ran buildctl.
std::vector<std::string> lastBuildctl(const test::FakeEngine& engine)
{
    for (auto it = engine.captured.rbegin(); it != engine.captured.rend(); ++it)
    {
        for (const auto& a : *it)
        {
            if (a == "buildctl")
                return *it;
        }
    }
    return {};
}

} // namespace

class RemoteBuilderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RemoteBuilderTest);
    CPPUNIT_TEST(testConnectMakesAClientWithoutNetwork);
    CPPUNIT_TEST(testBuildctlReachesTheDaemonWithCertificatesInMemory);
    CPPUNIT_TEST(testFilesOfTheBuildComeBeforeTheCertificates);
    CPPUNIT_TEST(testPlainTcpHasNoTlsFlags);
    CPPUNIT_TEST(testDaemonThatDoesNotAnswerLeavesNothing);
    CPPUNIT_TEST(testOnlyBuildctlGetsTheCertificates);
    CPPUNIT_TEST(testClientsNeverStartedAreRemoved);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConnectMakesAClientWithoutNetwork()
    {
        test::FakeEngine engine;
        {
            RemoteBuilder remote(engine, spec(true), TLS, [](const std::string&) {});
            BuilderStatus status = remote.connect(PullPolicy::Missing, "");
            CPPUNIT_ASSERT(status.platforms ==
                           std::vector<std::string>({"linux/amd64", "linux/386"}));
            CPPUNIT_ASSERT_EQUAL(std::string("v0.32.2"), status.buildkitVersion);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), engine.containers.size());
            const auto& [name, c] = *engine.containers.begin();
            CPPUNIT_ASSERT(base::startsWith(name, "hoist_client_"));
            CPPUNIT_ASSERT_EQUAL(std::string("none"), c.config.host.networkMode);
            CPPUNIT_ASSERT(c.config.host.autoRemove);
            CPPUNIT_ASSERT_EQUAL(std::string(RemoteBuilder::IDLE_COMMAND),
                                 c.config.entrypoint->at(1));
            CPPUNIT_ASSERT_EQUAL(std::string("remote-client"),
                                 c.config.labels.at("dev.hoist.role"));
            // hoist connects to the endpoint itself; the client holds itself to this process.
            CPPUNIT_ASSERT(engine.relayedTo == std::vector<std::string>({"tcp://10.0.0.5:1234"}));
            CPPUNIT_ASSERT_EQUAL(1, engine.running(name, name));
            CPPUNIT_ASSERT_EQUAL(std::string(""), remote.stateDir());
        }
        CPPUNIT_ASSERT(engine.containers.empty());
    }

    void testBuildctlReachesTheDaemonWithCertificatesInMemory()
    {
        test::FakeEngine engine;
        RemoteBuilder remote(engine, spec(true), TLS, [](const std::string&) {});
        remote.connect(PullPolicy::Missing, "");
        engine::ExecSpec e;
        e.cmd = {"buildctl", "prune"};
        CPPUNIT_ASSERT_EQUAL(0, remote.exec(e, nullptr, {}));
        const std::string argv = base::join(lastBuildctl(engine), " ");
        CPPUNIT_ASSERT(argv.find("buildctl --addr unix:///tmp/hoist-buildkitd.sock "
                                 "--tlsservername 10.0.0.5 --tlscacert " +
                                 MemoryFiles::path(0) + " --tlscert " + MemoryFiles::path(1) +
                                 " --tlskey " + MemoryFiles::path(2) + " prune") !=
                       std::string::npos);
        for (const auto& run : engine.captured)
            CPPUNIT_ASSERT(base::join(run, " ").find("-----") == std::string::npos);
    }

    void testFilesOfTheBuildComeBeforeTheCertificates()
    {
        test::FakeEngine engine;
        RemoteBuilder remote(engine, spec(true), TLS, [](const std::string&) {});
        remote.connect(PullPolicy::Missing, "");
        engine::ExecSpec e;
        e.cmd = {"buildctl", "build", "--secret", "id=a,src=" + MemoryFiles::path(0)};
        remote.execWithFiles(e, {"secret-a", "secret-b"}, {});
        const std::string argv = base::join(lastBuildctl(engine), " ");
        CPPUNIT_ASSERT(argv.find("--tlscacert " + MemoryFiles::path(2)) != std::string::npos);
        CPPUNIT_ASSERT(argv.find("--tlskey " + MemoryFiles::path(4)) != std::string::npos);
        CPPUNIT_ASSERT(argv.find("src=" + MemoryFiles::path(0)) != std::string::npos);
    }

    void testPlainTcpHasNoTlsFlags()
    {
        test::FakeEngine engine;
        RemoteBuilder remote(engine, spec(false), {}, [](const std::string&) {});
        remote.connect(PullPolicy::Missing, "");
        engine::ExecSpec e;
        e.cmd = {"buildctl", "du"};
        remote.exec(e, nullptr, {});
        CPPUNIT_ASSERT(base::join(lastBuildctl(engine), " ") ==
                       "buildctl --addr unix:///tmp/hoist-buildkitd.sock du");
        e.cmd = {"cat", "/etc/os-release"}; // not buildctl: as it is
        remote.exec(e, nullptr, {});
        CPPUNIT_ASSERT(engine.captured.back() == e.cmd);
    }

    void testDaemonThatDoesNotAnswerLeavesNothing()
    {
        test::FakeEngine engine;
        engine.buildctlFails = "x509: certificate signed by unknown authority";
        {
            RemoteBuilder remote(engine, spec(true), TLS, [](const std::string&) {});
            try
            {
                remote.connect(PullPolicy::Missing, "");
                CPPUNIT_FAIL("connected to a daemon that does not answer");
            }
            catch (const base::UnavailableException& e)
            {
                CPPUNIT_ASSERT(e.message().find("tcp://10.0.0.5:1234 does not answer: x509") !=
                               std::string::npos);
            }
        }
        CPPUNIT_ASSERT(engine.containers.empty());
    }

    void testOnlyBuildctlGetsTheCertificates()
    {
        test::FakeEngine engine;
        RemoteBuilder remote(engine, spec(true), TLS, [](const std::string&) {});
        remote.connect(PullPolicy::Missing, "");
        engine::ExecSpec e;
        e.cmd = {"cat", MemoryFiles::path(0)};
        remote.execWithFiles(e, {"one"}, {});
        const std::string argv = base::join(engine.captured.back(), " ");
        CPPUNIT_ASSERT(argv.find("--tlscacert") == std::string::npos);
        CPPUNIT_ASSERT(argv.find(" 1 -- cat ") != std::string::npos); // one value, not four
    }

    void testClientsNeverStartedAreRemoved()
    {
        test::FakeEngine engine;
        engine::ContainerCreate left;
        left.image = "moby/buildkit:buildx-stable-1";
        left.labels = {{"dev.hoist.role", "remote-client"}};
        engine.createContainer("hoist_client_left", left); // made, never started
        RemoteBuilder remote(engine, spec(false), {}, [](const std::string&) {});
        remote.connect(PullPolicy::Missing, "");
        CPPUNIT_ASSERT(engine.containers.count("hoist_client_left") == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), engine.containers.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RemoteBuilderTest);
