#include "builder/ContainerConfig.h"
#include "engine/Codec.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace hoist::builder;

class ContainerConfigTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContainerConfigTest);
    CPPUNIT_TEST(testDefaultContainerAsBuildx);
    CPPUNIT_TEST(testResourcesAndNetwork);
    CPPUNIT_TEST(testNoCgroupParentOnSystemd);
    CPPUNIT_TEST(testDigestFollowsWhatShapesTheContainer);
    CPPUNIT_TEST_SUITE_END();

public:
    Poco::JSON::Object::Ptr keep(Poco::JSON::Object::Ptr p)
    {
        _kept.push_back(p);
        return p;
    }

    BuilderSpec spec(std::vector<std::string> opts)
    {
        BuilderSpec s;
        s.name = "CI";
        hoist::base::Problems problems;
        s.opts = DriverOpts::parse(opts, "--driver-opt", problems);
        s.flags = BuildkitdConfig::flags("", "--buildkitd-flags", s.opts.network, false, problems);
        CPPUNIT_ASSERT(problems.empty());
        return s;
    }

    std::string host(const Poco::JSON::Object& body)
    {
        std::ostringstream out;
        body.getObject("HostConfig")->stringify(out);
        return out.str();
    }

    void testDefaultContainerAsBuildx()
    {
        BuilderSpec s = spec({});
        CPPUNIT_ASSERT_EQUAL(std::string("buildx_buildkit_ci0"), s.containerName());
        CPPUNIT_ASSERT_EQUAL(std::string("buildx_buildkit_ci0_state"), s.volumeName());
        Poco::JSON::Object& body = *keep(hoist::engine::Codec::encode(ContainerConfig::build(
            s, SecurityMode::Privileged, {"cgroupfs", false}, "/var/lib/buildkit")));
        CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit:buildx-stable-1"),
                             body.getValue<std::string>("Image"));
        CPPUNIT_ASSERT(!body.has("Env"));
        CPPUNIT_ASSERT(!body.has("Entrypoint"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("--allow-insecure-entitlement=network.host"),
            body.get("Cmd").extract<Poco::JSON::Array>().getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"Init":true,"RestartPolicy":{"Name":"unless-stopped","MaximumRetryCount":0},)"
                R"("Mounts":[{"Type":"volume","Source":"buildx_buildkit_ci0_state","Target":"/var/lib/buildkit"}],)"
                R"("CgroupParent":"/docker/buildx","Privileged":true})"),
            host(body));
        auto labels = body.get("Labels").extract<Poco::JSON::Object>();
        CPPUNIT_ASSERT_EQUAL(std::string("CI"), labels.getValue<std::string>("dev.hoist.builder"));
    }

    void testResourcesAndNetwork()
    {
        BuilderSpec s =
            spec({"network=host,memory=512m,cpu-quota=50000,env.FOO=bar,cgroup-parent=/foo",
                  "restart-policy=on-failure:3,cpuset-cpus=0"});
        Poco::JSON::Object& body = *keep(hoist::engine::Codec::encode(ContainerConfig::build(
            s, SecurityMode::Privileged, {"cgroupfs", true}, "/var/lib/buildkit")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("FOO=bar"),
            body.get("Env").extract<Poco::JSON::Array>().getElement<std::string>(0));
        auto h = body.getObject("HostConfig");
        CPPUNIT_ASSERT_EQUAL(std::string("host"), h->getValue<std::string>("NetworkMode"));
        CPPUNIT_ASSERT_EQUAL(536870912LL, h->getValue<long long>("Memory"));
        CPPUNIT_ASSERT_EQUAL(50000LL, h->getValue<long long>("CpuQuota"));
        CPPUNIT_ASSERT_EQUAL(std::string("/foo"), h->getValue<std::string>("CgroupParent"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), h->getValue<std::string>("CpusetCpus"));
        CPPUNIT_ASSERT_EQUAL(std::string("host"), h->getValue<std::string>("UsernsMode"));
        CPPUNIT_ASSERT_EQUAL(3, h->get("RestartPolicy")
                                    .extract<Poco::JSON::Object>()
                                    .getValue<int>("MaximumRetryCount"));
        CPPUNIT_ASSERT(!h->has("MemorySwap"));
    }

    void testNoCgroupParentOnSystemd()
    {
        BuilderSpec s = spec({"cgroup-parent=/foo"});
        Poco::JSON::Object& body = *keep(hoist::engine::Codec::encode(ContainerConfig::build(
            s, SecurityMode::Rootless, {"systemd", false}, "/home/user/.local/share/buildkit")));
        auto h = body.getObject("HostConfig");
        CPPUNIT_ASSERT(!h->has("CgroupParent"));
        CPPUNIT_ASSERT(!h->getValue<bool>("Privileged"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("/home/user/.local/share/buildkit"),
            h->getArray("Mounts")->get(0).extract<Poco::JSON::Object>().getValue<std::string>(
                "Target"));
    }

    void testDigestFollowsWhatShapesTheContainer()
    {
        BuilderSpec a = spec({"memory=1g"});
        BuilderSpec b = spec({"memory=1g", "provenance-add-gha=false", "default-load=true"});
        BuilderSpec c = spec({"memory=2g"});
        CPPUNIT_ASSERT_EQUAL(a.configDigest(SecurityMode::Privileged),
                             b.configDigest(SecurityMode::Privileged));
        CPPUNIT_ASSERT(a.configDigest(SecurityMode::Privileged) !=
                       c.configDigest(SecurityMode::Privileged));
        CPPUNIT_ASSERT(a.configDigest(SecurityMode::Privileged) !=
                       a.configDigest(SecurityMode::Capabilities));
        a.extraFiles["provenance.d/x.json"] = "{}";
        CPPUNIT_ASSERT(a.configDigest(SecurityMode::Privileged) !=
                       b.configDigest(SecurityMode::Privileged));
    }

private:
    std::vector<Poco::JSON::Object::Ptr> _kept;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContainerConfigTest);
