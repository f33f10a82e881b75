#include "base/Strings.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::base;

class StringsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StringsTest);
    CPPUNIT_TEST(testSplitKeepsEmptyFields);
    CPPUNIT_TEST(testSplitTrimmedDropsEmptyFields);
    CPPUNIT_TEST(testEditDistance);
    CPPUNIT_TEST(testClosestMatchFindsTypos);
    CPPUNIT_TEST(testClosestMatchRejectsFarWords);
    CPPUNIT_TEST(testQuotedEscapesControlCharacters);
    CPPUNIT_TEST(testParseBool);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSplitKeepsEmptyFields()
    {
        auto f = split("a,,b,", ',');
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), f.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), f[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("b"), f[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), split("", ',').size());
    }

    void testSplitTrimmedDropsEmptyFields()
    {
        auto f = splitTrimmed(" linux/amd64 , ,linux/arm64\n", ',');
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.size());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/amd64"), f[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("linux/arm64"), f[1]);
    }

    void testEditDistance()
    {
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), editDistance("build", "build"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), editDistance("biuld", "build"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), editDistance("", "setup"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), editDistance("kitten", "sitting"));
    }

    void testClosestMatchFindsTypos()
    {
        std::vector<std::string> commands = {"setup", "build", "teardown", "version"};
        CPPUNIT_ASSERT_EQUAL(std::string("build"), closestMatch("biuld", commands));
        CPPUNIT_ASSERT_EQUAL(std::string("version"), closestMatch("verison", commands));
        CPPUNIT_ASSERT_EQUAL(std::string("teardown"), closestMatch("tear", commands));
    }

    void testClosestMatchRejectsFarWords()
    {
        std::vector<std::string> commands = {"setup", "build"};
        CPPUNIT_ASSERT_EQUAL(std::string(""), closestMatch("xyzzy", commands));
        CPPUNIT_ASSERT_EQUAL(std::string(""), closestMatch("", commands));
    }

    void testQuotedEscapesControlCharacters()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\"b\\\\c\\n\\x01\""), quoted("a\"b\\c\n\x01"));
    }

    void testParseBool()
    {
        bool ok = false;
        CPPUNIT_ASSERT(parseBool("TRUE", ok) && ok);
        CPPUNIT_ASSERT(!parseBool("off", ok) && ok);
        CPPUNIT_ASSERT(parseBool(" 1 ", ok) && ok);
        parseBool("maybe", ok);
        CPPUNIT_ASSERT(!ok);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StringsTest);
