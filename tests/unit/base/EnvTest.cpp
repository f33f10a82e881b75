#include "base/Env.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::base;

class EnvTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EnvTest);
    CPPUNIT_TEST(testEmptyValueIsSetButNotHas);
    CPPUNIT_TEST(testGetOrFallsBackOnEmpty);
    CPPUNIT_TEST(testWithLeavesOriginalUnchanged);
    CPPUNIT_TEST(testWithPrefix);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEmptyValueIsSetButNotHas()
    {
        Env env(Env::Map{{"A", ""}});
        CPPUNIT_ASSERT(env.get("A").has_value());
        CPPUNIT_ASSERT(!env.has("A"));
        CPPUNIT_ASSERT(!env.get("B").has_value());
    }

    void testGetOrFallsBackOnEmpty()
    {
        Env env({{"A", ""}, {"B", "x"}});
        CPPUNIT_ASSERT_EQUAL(std::string("d"), env.getOr("A", "d"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), env.getOr("B", "d"));
        CPPUNIT_ASSERT_EQUAL(std::string("d"), env.getOr("C", "d"));
    }

    void testWithLeavesOriginalUnchanged()
    {
        Env env(Env::Map{{"A", "1"}});
        Env other = env.with("A", "2");
        CPPUNIT_ASSERT_EQUAL(std::string("1"), *env.get("A"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), *other.get("A"));
    }

    void testWithPrefix()
    {
        Env env({{"HOIST_A", "1"}, {"HOIST_B", "2"}, {"HOISTX", "3"}, {"GITHUB_SHA", "4"}});
        auto m = env.withPrefix("HOIST_");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), m.size());
        CPPUNIT_ASSERT(m.count("HOIST_B"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EnvTest);
