#include "engine/EndpointResolver.h"
#include "base/Error.h"
#include "engine/SshDialer.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

using namespace hoist;
using namespace hoist::engine;
using hoist::test::TempDir;

class EndpointResolverTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EndpointResolverTest);
    CPPUNIT_TEST(testDefaultSocket);
    CPPUNIT_TEST(testUnixHost);
    CPPUNIT_TEST(testTcpForms);
    CPPUNIT_TEST(testTlsDefaultPortAndFiles);
    CPPUNIT_TEST(testTlsVerifyWithoutCaIsAConfigError);
    CPPUNIT_TEST(testGitLabDindCertificates);
    CPPUNIT_TEST(testWaitsForDindCertificates);
    CPPUNIT_TEST(testSshEndpoints);
    CPPUNIT_TEST(testBadHosts);
    CPPUNIT_TEST(testContextFromConfig);
    CPPUNIT_TEST(testDockerHostBeatsContext);
    CPPUNIT_TEST(testMissingContext);
    CPPUNIT_TEST(testContextIdIsSha256OfName);
    CPPUNIT_TEST_SUITE_END();

public:
    Endpoint resolve(base::Env::Map vars)
    {
        base::Env env(std::move(vars));
        DockerConfig cfg = DockerConfig::load(env);
        return EndpointResolver(env, cfg).resolve();
    }

    void testDefaultSocket()
    {
        TempDir home;
        Endpoint e = resolve({{"HOME", home.path()}});
        CPPUNIT_ASSERT(e.kind == Endpoint::Kind::Unix);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/run/docker.sock"), e.socketPath);
        CPPUNIT_ASSERT(e.origin.find("default socket") != std::string::npos);
    }

    void testUnixHost()
    {
        Endpoint e = resolve({{"DOCKER_HOST", "unix:///run/user/1000/docker.sock"}});
        CPPUNIT_ASSERT_EQUAL(std::string("/run/user/1000/docker.sock"), e.socketPath);
        CPPUNIT_ASSERT_EQUAL(std::string("DOCKER_HOST"), e.origin);
    }

    void testTcpForms()
    {
        Endpoint e = EndpointResolver::parseHost("tcp://docker:2375", false, "x");
        CPPUNIT_ASSERT(e.kind == Endpoint::Kind::Tcp);
        CPPUNIT_ASSERT_EQUAL(std::string("docker"), e.host);
        CPPUNIT_ASSERT_EQUAL((unsigned short)2375, e.port);
        e = EndpointResolver::parseHost("10.0.0.5", false, "x");
        CPPUNIT_ASSERT_EQUAL((unsigned short)2375, e.port);
        e = EndpointResolver::parseHost("tcp://[::1]:2380/prefix/", false, "x");
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), e.host);
        CPPUNIT_ASSERT_EQUAL((unsigned short)2380, e.port);
        CPPUNIT_ASSERT_EQUAL(std::string("/prefix"), e.basePath);
    }

    void testTlsDefaultPortAndFiles()
    {
        TempDir certs;
        certs.write("ca.pem", "x");
        certs.write("cert.pem", "x");
        certs.write("key.pem", "x");
        Endpoint e = resolve({{"DOCKER_HOST", "tcp://engine"},
                              {"DOCKER_TLS_VERIFY", "0"},
                              {"DOCKER_CERT_PATH", certs.path()}});
        CPPUNIT_ASSERT(e.tls && e.verify); // any non-empty value means verify, as in the CLI
        CPPUNIT_ASSERT_EQUAL((unsigned short)2376, e.port);
        CPPUNIT_ASSERT_EQUAL(certs.path() + "/ca.pem", e.caFile);
        CPPUNIT_ASSERT_EQUAL(certs.path() + "/key.pem", e.keyFile);
        e = resolve({{"DOCKER_HOST", "tcp://engine:2376"},
                     {"DOCKER_TLS", "1"},
                     {"DOCKER_CERT_PATH", certs.path()}});
        CPPUNIT_ASSERT(e.tls && !e.verify);
    }

    void testTlsVerifyWithoutCaIsAConfigError()
    {
        TempDir empty;
        try
        {
            resolve({{"DOCKER_HOST", "tcp://engine:2376"},
                     {"DOCKER_TLS_VERIFY", "1"},
                     {"DOCKER_CERT_PATH", empty.path()}});
            CPPUNIT_FAIL("expected a ConfigException");
        }
        catch (const base::ConfigException& e)
        {
            CPPUNIT_ASSERT(e.message().find("no CA certificate at") != std::string::npos);
            CPPUNIT_ASSERT(e.message().find("hint: set DOCKER_CERT_PATH") != std::string::npos);
        }
    }

    void testGitLabDindCertificates()
    {
        TempDir certdir;
        certdir.write("client/ca.pem", "x");
        certdir.write("client/cert.pem", "x");
        certdir.write("client/key.pem", "x");
        Endpoint e =
            resolve({{"DOCKER_HOST", "tcp://docker:2376"}, {"DOCKER_TLS_CERTDIR", certdir.path()}});
        CPPUNIT_ASSERT(e.tls && e.verify);
        CPPUNIT_ASSERT_EQUAL(certdir.path() + "/client/cert.pem", e.certFile);
    }

    void testWaitsForDindCertificates()
    {
        // The dind service writes its client certificates after the job started.
        TempDir certdir;
        std::thread writer(
            [&]
            {
                std::this_thread::sleep_for(std::chrono::milliseconds(400));
                certdir.write("client/cert.pem", "x");
                certdir.write("client/key.pem", "x");
                certdir.write("client/ca.pem", "x");
            });
        Endpoint e =
            resolve({{"DOCKER_HOST", "tcp://docker:2376"}, {"DOCKER_TLS_CERTDIR", certdir.path()}});
        writer.join();
        CPPUNIT_ASSERT(e.tls && e.verify);
        CPPUNIT_ASSERT_EQUAL(certdir.path() + "/client/ca.pem", e.caFile);
    }

    void testSshEndpoints()
    {
        // As the docker CLI reads ssh:// hosts: user, port and the far side's socket optional.
        Endpoint e = resolve({{"DOCKER_HOST", "ssh://me@build.example:2222/var/run/other.sock"}});
        CPPUNIT_ASSERT(e.kind == Endpoint::Kind::Ssh);
        CPPUNIT_ASSERT_EQUAL(std::string("me"), e.sshUser);
        CPPUNIT_ASSERT_EQUAL(std::string("build.example"), e.host);
        CPPUNIT_ASSERT_EQUAL(2222, static_cast<int>(e.port));
        CPPUNIT_ASSERT_EQUAL(std::string("/var/run/other.sock"), e.socketPath);
        CPPUNIT_ASSERT_EQUAL(std::string("ssh://me@build.example:2222/var/run/other.sock"),
                             e.url());
        CPPUNIT_ASSERT(SshDialer::arguments(e, Poco::Timespan(10, 0)) ==
                       std::vector<std::string>(
                           {"-o", "ConnectTimeout=10", "-o", "BatchMode=yes", "-T", "-l", "me",
                            "-p", "2222", "--", "build.example", "docker",
                            "--host=unix:///var/run/other.sock", "system", "dial-stdio"}));
        Endpoint plain = resolve({{"DOCKER_HOST", "ssh://build.example"}});
        CPPUNIT_ASSERT(plain.sshUser.empty() && plain.port == 0 && plain.socketPath.empty());
        CPPUNIT_ASSERT(
            SshDialer::arguments(plain, Poco::Timespan(30, 0)) ==
            std::vector<std::string>({"-o", "ConnectTimeout=30", "-o", "BatchMode=yes", "-T", "--",
                                      "build.example", "docker", "system", "dial-stdio"}));
        for (const char* bad : {"ssh://me:secret@host", "ssh://me:sec@ret@host", "ssh://host?x=1",
                                "ssh://host:99999", "ssh://me@"})
        {
            try
            {
                resolve({{"DOCKER_HOST", bad}});
                CPPUNIT_FAIL(std::string("accepted ") + bad);
            }
            catch (const base::ConfigException& e)
            {
                CPPUNIT_ASSERT_MESSAGE(e.message(),
                                       e.message().find("DOCKER_HOST") != std::string::npos);
                CPPUNIT_ASSERT(e.message().find("sec") == std::string::npos);
            }
        }
    }

    void testBadHosts()
    {
        CPPUNIT_ASSERT_THROW(EndpointResolver::parseHost("tcp://host:99999", false, "x"),
                             base::ConfigException);
        CPPUNIT_ASSERT_THROW(EndpointResolver::parseHost("http://host", false, "x"),
                             base::ConfigException);
        CPPUNIT_ASSERT_THROW(EndpointResolver::parseHost("tcp://:2375", false, "x"),
                             base::ConfigException);
    }

    void writeContext(TempDir& cfg, const std::string& name, const std::string& host)
    {
        cfg.write("contexts/meta/" + EndpointResolver::contextId(name) + "/meta.json",
                  R"({"Name":")" + name + R"(","Metadata":{},"Endpoints":{"docker":{"Host":")" +
                      host + R"(","SkipTLSVerify":false}}})");
    }

    void testContextFromConfig()
    {
        TempDir cfg;
        cfg.write("config.json", R"({"currentContext":"remote"})");
        writeContext(cfg, "remote", "tcp://build-host:2376");
        cfg.write("contexts/tls/" + EndpointResolver::contextId("remote") + "/docker/ca.pem", "x");
        Endpoint e = resolve({{"DOCKER_CONFIG", cfg.path()}});
        CPPUNIT_ASSERT_EQUAL(std::string("build-host"), e.host);
        CPPUNIT_ASSERT(e.tls && e.verify);
        CPPUNIT_ASSERT(e.origin.find("docker context \"remote\"") == 0);
    }

    void testDockerHostBeatsContext()
    {
        TempDir cfg;
        writeContext(cfg, "remote", "tcp://build-host:2376");
        Endpoint e = resolve({{"DOCKER_CONFIG", cfg.path()},
                              {"DOCKER_CONTEXT", "remote"},
                              {"DOCKER_HOST", "unix:///tmp/x.sock"}});
        CPPUNIT_ASSERT_EQUAL(std::string("/tmp/x.sock"), e.socketPath);
    }

    void testMissingContext()
    {
        TempDir cfg;
        try
        {
            resolve({{"DOCKER_CONFIG", cfg.path()}, {"DOCKER_CONTEXT", "gone"}});
            CPPUNIT_FAIL("expected a ConfigException");
        }
        catch (const base::ConfigException& e)
        {
            CPPUNIT_ASSERT(
                e.message().find("docker context \"gone\" (from DOCKER_CONTEXT) does not "
                                 "exist") == 0);
            CPPUNIT_ASSERT_EQUAL(78, base::exitCodeFor(e));
        }
    }

    void testContextIdIsSha256OfName()
    {
        // printf default | sha256sum
        CPPUNIT_ASSERT_EQUAL(
            std::string("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"),
            EndpointResolver::contextId("default"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EndpointResolverTest);
