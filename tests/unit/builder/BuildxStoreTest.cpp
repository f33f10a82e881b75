#include "builder/BuildxStore.h"
#include "fakes/TempDir.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

using namespace hoist::builder;
using hoist::test::TempDir;

class BuildxStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildxStoreTest);
    CPPUNIT_TEST(testUseWritesBuildxCurrentFile);
    CPPUNIT_TEST(testSaveThenRemove);
    CPPUNIT_TEST(testNodeIdentifierIsMadeOnceAndKept);
    CPPUNIT_TEST(testNodesRoundTrip);
    CPPUNIT_TEST(testRemoteBuilderRoundTrip);
    CPPUNIT_TEST(testRemoteOfBuildxOwnEntry);
    CPPUNIT_TEST_SUITE_END();

public:
    static std::string read(const std::string& path)
    {
        Poco::FileInputStream in(path);
        std::string s;
        Poco::StreamCopier::copyToString(in, s);
        return s;
    }

    void testUseWritesBuildxCurrentFile()
    {
        TempDir d;
        BuildxStore store(d.path() + "/buildx");
        store.use("CI-Builder", "unix:///var/run/docker.sock");
        // buildx's own form (store.SetCurrent): Key, lower-cased Name, Global; mode 0600.
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"Key":"unix:///var/run/docker.sock","Name":"ci-builder","Global":false})"),
            read(d.path() + "/buildx/current"));
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, ::stat((d.path() + "/buildx/current").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        store.use("other", "ci-context");
        auto o = Poco::JSON::Parser()
                     .parse(read(d.path() + "/buildx/current"))
                     .extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("ci-context"), o->getValue<std::string>("Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("other"), o->getValue<std::string>("Name"));
    }

    void testNodeIdentifierIsMadeOnceAndKept()
    {
        TempDir d;
        BuildxStore store(d.path() + "/buildx");
        const std::string id = store.nodeIdentifier();
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), id.size());
        CPPUNIT_ASSERT_EQUAL(std::string::npos, id.find_first_not_of("0123456789abcdef"));
        CPPUNIT_ASSERT_EQUAL(id, read(d.path() + "/buildx/.buildNodeID"));
        CPPUNIT_ASSERT_EQUAL(id, BuildxStore(d.path() + "/buildx").nodeIdentifier());
        // One buildx made is kept as it is.
        BuildxStore other(d.path() + "/other");
        Poco::File(d.path() + "/other").createDirectories();
        Poco::FileOutputStream(d.path() + "/other/.buildNodeID") << "0123456789abcdef";
        CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdef"), other.nodeIdentifier());
        // A store that cannot be written has none.
        CPPUNIT_ASSERT_EQUAL(std::string(""), BuildxStore("/proc/hoist-none").nodeIdentifier());
    }

    void testSaveThenRemove()
    {
        TempDir d;
        BuildxStore store(d.path());
        BuilderSpec spec;
        spec.name = "Demo";
        store.save(spec, "unix:///var/run/docker.sock");
        CPPUNIT_ASSERT(store.has("demo"));
        auto o = Poco::JSON::Parser()
                     .parse(read(d.path() + "/instances/demo"))
                     .extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("docker-container"), o->getValue<std::string>("Driver"));
        CPPUNIT_ASSERT_EQUAL(std::string("unix:///var/run/docker.sock"),
                             o->getArray("Nodes")->getObject(0)->getValue<std::string>("Endpoint"));
        store.remove("Demo");
        CPPUNIT_ASSERT(!store.has("demo"));
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/instances/demo").exists());
    }

    void testNodesRoundTrip()
    {
        // As buildx create --append leaves a builder: nodes with endpoints, pinned platforms
        // and driver options, a value with a comma kept whole.
        TempDir d;
        BuildxStore store(d.path());
        BuilderSpec a, b;
        a.name = b.name = "App";
        a.node = "amd";
        b.node = "arm";
        b.opts.raw = {{"env.no_proxy", "a,b"}};
        store.saveNodes("App", {{a, "unix:///var/run/docker.sock", {"linux/amd64"}},
                                {b, "ssh://ci@arm", {"linux/arm64", "linux/arm/v7"}}});
        const auto nodes = store.nodes("App");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), nodes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("amd"), nodes[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("ssh://ci@arm"), nodes[1].endpoint);
        CPPUNIT_ASSERT(nodes[1].platforms ==
                       std::vector<std::string>({"linux/arm64", "linux/arm/v7"}));
        CPPUNIT_ASSERT(nodes[1].driverOpts == std::vector<std::string>({"env.no_proxy=a,b"}));
        CPPUNIT_ASSERT(store.nodes("other").empty());
    }

    void testRemoteBuilderRoundTrip()
    {
        TempDir d;
        BuildxStore store(d.path());
        RemoteSpec spec;
        spec.name = "Far";
        spec.endpoint = "tcp://10.0.0.5:1234";
        spec.cacert = "/certs/ca.pem";
        spec.cert = "/certs/cert.pem";
        spec.key = "/certs/key.pem";
        spec.clientImage = "registry.example/buildkit:v1";
        store.saveRemote(spec);
        auto o = Poco::JSON::Parser()
                     .parse(read(d.path() + "/instances/far"))
                     .extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("remote"), o->getValue<std::string>("Driver"));
        auto node = o->getArray("Nodes")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("far0"), node->getValue<std::string>("Name"));
        // Only buildx's own keys among the driver options: buildx refuses others.
        auto opts = node->getObject("DriverOpts");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), opts->size());
        CPPUNIT_ASSERT_EQUAL(std::string("/certs/key.pem"), opts->getValue<std::string>("key"));
        auto back = store.remote("far");
        CPPUNIT_ASSERT(back);
        CPPUNIT_ASSERT_EQUAL(spec.endpoint, back->endpoint);
        CPPUNIT_ASSERT_EQUAL(spec.cacert, back->cacert);
        CPPUNIT_ASSERT_EQUAL(spec.clientImage, back->clientImage);
        CPPUNIT_ASSERT(back->tls());
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.5"), back->tlsServerName());
        CPPUNIT_ASSERT(!store.remote("other"));
    }

    void testRemoteOfBuildxOwnEntry()
    {
        TempDir d;
        Poco::File(d.path() + "/instances").createDirectories();
        // As `docker buildx create --driver remote --driver-opt servername=bk unix:///s` wrote it.
        Poco::FileOutputStream(d.path() + "/instances/bx")
            << R"({"Name":"bx","Driver":"remote","Nodes":[{"Name":"bx0","Endpoint":)"
               R"("unix:///s","Platforms":null,"DriverOpts":{"servername":"bk"},)"
               R"("Flags":null,"Files":null}],"Dynamic":false})";
        BuildxStore store(d.path());
        auto spec = store.remote("bx");
        CPPUNIT_ASSERT(spec);
        CPPUNIT_ASSERT_EQUAL(std::string("unix:///s"), spec->endpoint);
        CPPUNIT_ASSERT_EQUAL(std::string("bk"), spec->tlsServerName());
        CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit:buildx-stable-1"), spec->clientImage);
        CPPUNIT_ASSERT(!spec->tls());
        // A docker-container builder is not a remote one.
        BuilderSpec local;
        local.name = "local";
        store.save(local, "unix:///var/run/docker.sock");
        CPPUNIT_ASSERT(!store.remote("local"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildxStoreTest);
