#include "builder/DriverOpts.h"

#include "base/Size.h"
#include "fakes/Messages.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::builder;

class DriverOptsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DriverOptsTest);
    CPPUNIT_TEST(testDefaults);
    CPPUNIT_TEST(testEveryKey);
    CPPUNIT_TEST(testCsvRecordsAndQuotes);
    CPPUNIT_TEST(testSizes);
    CPPUNIT_TEST(testRestartPolicies);
    CPPUNIT_TEST(testEveryProblemAtOnce);
    CPPUNIT_TEST(testUnknownKeySuggests);
    CPPUNIT_TEST(testSwapRules);
    CPPUNIT_TEST_SUITE_END();

public:
    DriverOpts ok(std::vector<std::string> values)
    {
        hoist::base::Problems problems;
        DriverOpts o = DriverOpts::parse(values, "--driver-opt", problems);
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             problems.empty() ? std::string() : problems[0].message());
        return o;
    }

    std::vector<std::string> bad(std::vector<std::string> values)
    {
        hoist::base::Problems problems;
        DriverOpts::parse(values, "--driver-opt", problems);
        CPPUNIT_ASSERT(!problems.empty());
        return hoist::test::messages(problems);
    }

    void testDefaults()
    {
        DriverOpts o = ok({});
        CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit:buildx-stable-1"), o.image);
        CPPUNIT_ASSERT_EQUAL(std::string("unless-stopped"), o.restartPolicy);
        CPPUNIT_ASSERT(o.provenanceAddGha);
        CPPUNIT_ASSERT(!o.defaultLoad);
        CPPUNIT_ASSERT(!o.cgroupParent);
        CPPUNIT_ASSERT(o.raw.empty());
    }

    void testEveryKey()
    {
        DriverOpts o =
            ok({"image=local/bk:1,network=host,memory=512m,memory-swap=1g", "cpu-quota=50000",
                "cpu-period=100000", "cpu-shares=512", "cpuset-cpus=0-1,cpuset-mems=0",
                "cgroup-parent=/foo", "default-load=true", "provenance-add-gha=False",
                "env.FOO=bar", "env.A=1", "env.FOO=baz", "allow-untrusted-image=1"});
        CPPUNIT_ASSERT_EQUAL(std::string("local/bk:1"), o.image);
        CPPUNIT_ASSERT_EQUAL(std::string("host"), o.network);
        CPPUNIT_ASSERT_EQUAL(536870912LL, o.memory);
        CPPUNIT_ASSERT_EQUAL(1073741824LL, o.memorySwap);
        CPPUNIT_ASSERT_EQUAL(50000LL, o.cpuQuota);
        CPPUNIT_ASSERT_EQUAL(100000LL, o.cpuPeriod);
        CPPUNIT_ASSERT_EQUAL(512LL, o.cpuShares);
        CPPUNIT_ASSERT_EQUAL(std::string("0-1"), o.cpusetCpus);
        CPPUNIT_ASSERT_EQUAL(std::string("/foo"), *o.cgroupParent);
        CPPUNIT_ASSERT(o.defaultLoad);
        CPPUNIT_ASSERT(!o.provenanceAddGha);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), o.env.size());
        CPPUNIT_ASSERT_EQUAL(std::string("baz"), o.env[0].second); // later wins, first place kept
        CPPUNIT_ASSERT_EQUAL(std::string("50000"), o.raw.at("cpu-quota"));
    }

    void testCsvRecordsAndQuotes()
    {
        DriverOpts o = ok({"\"env.LIST=a,b\",network=host"});
        CPPUNIT_ASSERT_EQUAL(std::string("a,b"), o.env.at(0).second);
        CPPUNIT_ASSERT_EQUAL(std::string("host"), o.network);
        // A field written back reads as itself: quoted, quotes doubled, only where needed.
        for (const std::string field : {"plain=1", "env.LIST=a,b", "say=\"hi\""})
        {
            bool good = true;
            const auto back = DriverOpts::splitCsv("x," + DriverOpts::csvField(field), good);
            CPPUNIT_ASSERT(good && back.size() == 2);
            CPPUNIT_ASSERT_EQUAL(field, back[1]);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("plain=1"), DriverOpts::csvField("plain=1"));
        auto p = bad({"\"env.X=1"});
        CPPUNIT_ASSERT(p[0].find("unclosed quote") != std::string::npos);
    }

    void testSizes()
    {
        CPPUNIT_ASSERT_EQUAL(1073741824LL, *hoist::base::parseSize("1g"));
        CPPUNIT_ASSERT_EQUAL(1073741824LL, *hoist::base::parseSize("1GiB"));
        CPPUNIT_ASSERT_EQUAL(1610612736LL, *hoist::base::parseSize("1.5g"));
        CPPUNIT_ASSERT_EQUAL(4096LL, *hoist::base::parseSize("4096"));
        CPPUNIT_ASSERT(!hoist::base::parseSize("-1g"));
        CPPUNIT_ASSERT(!hoist::base::parseSize("12x"));
        CPPUNIT_ASSERT(!hoist::base::parseSize(""));
    }

    void testRestartPolicies()
    {
        DriverOpts o = ok({"restart-policy=on-failure:3"});
        CPPUNIT_ASSERT_EQUAL(std::string("on-failure"), o.restartPolicy);
        CPPUNIT_ASSERT_EQUAL(3, o.restartRetries);
        CPPUNIT_ASSERT_EQUAL(std::string("always"), ok({"restart-policy=always"}).restartPolicy);
        CPPUNIT_ASSERT(bad({"restart-policy=sometimes"})[0].find("must be no, always") !=
                       std::string::npos);
        CPPUNIT_ASSERT(bad({"restart-policy=always:2"})[0].find("on-failure only") !=
                       std::string::npos);
        CPPUNIT_ASSERT(bad({"restart-policy=on-failure:x"})[0].find("whole number") !=
                       std::string::npos);
    }

    void testEveryProblemAtOnce()
    {
        auto p =
            bad({"memory=lots,cpu-quota=fast", "default-load=yes", "env.=1", "image=", "oops"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), p.size());
        CPPUNIT_ASSERT_EQUAL(std::string("--driver-opt \"oops\" is not KEY=VALUE (e.g. memory=2g)"),
                             p[0]);
        CPPUNIT_ASSERT(p[1].find("--driver-opt memory=\"lots\" is not a size") == 0);
        CPPUNIT_ASSERT(p[2].find("--driver-opt cpu-quota=\"fast\" must be microseconds") == 0);
        CPPUNIT_ASSERT(p[3].find("--driver-opt default-load=\"yes\" must be true or false") == 0);
        CPPUNIT_ASSERT(p[4].find("names no variable") != std::string::npos);
        CPPUNIT_ASSERT(p[5].find("needs an image reference") != std::string::npos);
    }

    void testUnknownKeySuggests()
    {
        auto p = bad({"memroy=1g"});
        CPPUNIT_ASSERT_EQUAL(std::string("unknown driver-opt \"memroy\" for the docker-container "
                                         "driver; did you mean \"memory\"?"),
                             p[0]);
        p = bad({"qemu.install=true"});
        CPPUNIT_ASSERT(p[0].find("(accepted: image, network,") != std::string::npos);
    }

    void testSwapRules()
    {
        CPPUNIT_ASSERT(bad({"memory-swap=1g"})[0].find("needs memory") != std::string::npos);
        CPPUNIT_ASSERT(bad({"memory=2g,memory-swap=1g"})[0].find("at least memory") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(-1LL, ok({"memory=1g,memory-swap=-1"}).memorySwap);
        CPPUNIT_ASSERT(bad({"memory=1k"})[0].find("at least 6m") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DriverOptsTest);
