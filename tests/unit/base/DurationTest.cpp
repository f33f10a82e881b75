#include "base/Duration.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::base;

class DurationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DurationTest);
    CPPUNIT_TEST(testGoForms);
    CPPUNIT_TEST(testPlainSeconds);
    CPPUNIT_TEST(testRejects);
    CPPUNIT_TEST(testFormat);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGoForms()
    {
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(500),
                             parseDuration("500ms")->totalMilliseconds());
        CPPUNIT_ASSERT_EQUAL(90, parseDuration("1m30s")->totalSeconds());
        CPPUNIT_ASSERT_EQUAL(7200, parseDuration("2h")->totalSeconds());
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(1500),
                             parseDuration("1.5s")->totalMilliseconds());
    }

    void testPlainSeconds() { CPPUNIT_ASSERT_EQUAL(30, parseDuration("30")->totalSeconds()); }

    void testRejects()
    {
        CPPUNIT_ASSERT(!parseDuration(""));
        CPPUNIT_ASSERT(!parseDuration("soon"));
        CPPUNIT_ASSERT(!parseDuration("10x"));
        CPPUNIT_ASSERT(!parseDuration("-5s"));
        CPPUNIT_ASSERT(!parseDuration("s"));
    }

    void testFormat()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("850ms"), formatDuration(Poco::Timespan(850000)));
        CPPUNIT_ASSERT_EQUAL(std::string("12.3s"), formatDuration(Poco::Timespan(12, 300000)));
        CPPUNIT_ASSERT_EQUAL(std::string("4m05s"), formatDuration(Poco::Timespan(245, 0)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DurationTest);
