// The nodes of a multi-node builder: --node values as a user gives them, parsed with the real
// option table, and which node builds each platform.

#include "plan/NodePlan.h"
#include "fakes/Messages.h"

#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;

namespace
{

std::vector<plan::NodeSpec> nodes(const std::vector<std::string>& values, base::Problems& problems)
{
    std::vector<std::string> argv = {"run"};
    for (const auto& v : values)
        argv.insert(argv.end(), {"--node", v});
    base::Env e;
    const cli::Options o = cli::Options::from(
        cli::OptionParser(cli::OptionTable::instance(), e).parse(argv, problems));
    return plan::planNodes(o.setup.nodes, problems);
}

} // namespace

class NodePlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(NodePlanTest);
    CPPUNIT_TEST(testFieldsAsBuildxReadsThem);
    CPPUNIT_TEST(testEveryBadNodeAtOnce);
    CPPUNIT_TEST(testNodesNamedAsBuildxNamesThem);
    CPPUNIT_TEST(testEachNodeItsOwnCache);
    CPPUNIT_TEST(testEachNodeItsOwnState);
    CPPUNIT_TEST(testPinnedFirstThenNative);
    CPPUNIT_TEST(testAPlatformNoNodeBuilds);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFieldsAsBuildxReadsThem()
    {
        base::Problems problems;
        auto n = nodes({"name=amd,endpoint=ssh://ci@amd.example,platform=linux/amd64",
                        "name=arm,\"platform=arm64,linux/arm/v7\",driver-opt=memory=2g,"
                        "driver-opt=network=host,endpoint=tcp://10.0.0.2:2376"},
                       problems);
        CPPUNIT_ASSERT_EQUAL(std::string(""), base::join(test::messages(problems), "\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), n.size());
        CPPUNIT_ASSERT_EQUAL(std::string("amd"), n[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("ssh://ci@amd.example"), n[0].endpoint);
        CPPUNIT_ASSERT(n[0].platforms == std::vector<std::string>({"linux/amd64"}));
        // Normalized as buildx does: arm64 is linux/arm64.
        CPPUNIT_ASSERT(n[1].platforms == std::vector<std::string>({"linux/arm64", "linux/arm/v7"}));
        CPPUNIT_ASSERT(n[1].driverOpts == std::vector<std::string>({"memory=2g", "network=host"}));
        CPPUNIT_ASSERT_EQUAL(std::string("tcp://10.0.0.2:2376"), n[1].endpoint);
    }

    void testEveryBadNodeAtOnce()
    {
        base::Problems problems;
        nodes({"endpoint=tcp://x:1,platform", "name=a,colour=red", "name=b,platform=linux/vax",
               "name=-x", "name=c", "name=c", "name=d,\"platform=linux/amd64"},
              problems);
        const std::string all = base::join(test::messages(problems), "\n");
        for (const char* want :
             {"--node \"endpoint=tcp://x:1,platform\" field \"platform\" is not KEY=VALUE",
              "has an unknown field \"colour\" (name, endpoint, platform, driver-opt)",
              "platform \"linux/vax\"", "name \"-x\" is not a valid node name",
              "names node \"c\" twice", "has an unclosed quote",
              "hint: give each node as name=NAME,endpoint=ENDPOINT,platform=LIST"})
            CPPUNIT_ASSERT_MESSAGE(all + "\nlacks: " + want, all.find(want) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), problems.size());
    }

    void testNodesNamedAsBuildxNamesThem()
    {
        // The builder's own node is NAME0, the next NAME1, …; a name given is kept.
        base::Problems problems;
        auto n = nodes({"platform=linux/amd64", "name=arm,platform=linux/arm64", "endpoint=x"},
                       problems);
        plan::nameNodes(n, "App", "--node", problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("app0"), n[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("arm"), n[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("app2"), n[2].name);
        auto clash = nodes({"platform=linux/amd64", "name=app0"}, problems);
        plan::nameNodes(clash, "app", "--node", problems);
        CPPUNIT_ASSERT(base::join(test::messages(problems), "\n")
                           .find("node 2 is named \"app0\", as another node is") !=
                       std::string::npos);
    }

    void testEachNodeItsOwnCache()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("type=registry,ref=r.example/app/cache:main-arm,mode=max"),
            plan::locationForNode("type=registry,ref=r.example/app/cache:main,mode=max", "arm"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("type=registry,ref=localhost:5000/cache:arm"),
            plan::locationForNode("type=registry,ref=localhost:5000/cache", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=gha,scope=app-arm,mode=max"),
                             plan::locationForNode("type=gha,scope=app,mode=max", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=gha,mode=max,scope=buildkit-arm"),
                             plan::locationForNode("type=gha,mode=max", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=local,dest=/c/arm"),
                             plan::locationForNode("type=local,dest=/c", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=inline"),
                             plan::locationForNode("type=inline", "arm"));
        const std::string pinned =
            "type=registry,ref=r.example/cache@sha256:" + std::string(64, 'a');
        CPPUNIT_ASSERT_EQUAL(pinned, plan::locationForNode(pinned, "arm"));
    }

    void testEachNodeItsOwnState()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("type=registry,ref=r.example/app/hoist-state:main-arm"),
            plan::locationForNode("type=registry,ref=r.example/app/hoist-state:main", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=local,src=/cache/state/arm"),
                             plan::locationForNode("type=local,src=/cache/state", "arm"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=local,\"dest=/a,b/arm\""),
                             plan::locationForNode("type=local,\"dest=/a,b\"", "arm"));
    }

    void testPinnedFirstThenNative()
    {
        // An amd64 node that emulates arm64 does not take it from a native arm64 node (buildx
        // #366); a node that pins a platform gets it even when another runs it natively; 386
        // runs natively on amd64, arm/v7 on arm64.
        base::Problems problems;
        const std::vector<plan::NodeReach> reach = {
            {{}, "amd64"}, {{}, "arm64"}, {{"linux/riscv64", "linux/amd64"}, "arm64"}};
        const auto owner = plan::assignPlatforms(
            {"linux/amd64", "linux/arm64", "linux/riscv64", "linux/386", "linux/arm/v7"}, reach,
            "--platform", problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT(owner == std::vector<int>({2, 1, 2, 0, 1}));
    }

    void testAPlatformNoNodeBuilds()
    {
        base::Problems problems;
        const auto owner = plan::assignPlatforms({"linux/amd64", "linux/s390x"}, {{{}, "amd64"}},
                                                 "--platform", problems);
        CPPUNIT_ASSERT(owner == std::vector<int>({0, -1}));
        const std::string all = base::join(test::messages(problems), "\n");
        CPPUNIT_ASSERT(
            all.find("--platform \"linux/s390x\": no node pins it or runs it natively") !=
            std::string::npos);
        CPPUNIT_ASSERT(all.find("--node name=NAME,platform=linux/s390x") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NodePlanTest);
