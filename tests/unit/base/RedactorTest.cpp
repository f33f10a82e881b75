#include "base/Redactor.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::base;

class RedactorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RedactorTest);
    CPPUNIT_TEST(testReplacesEveryOccurrence);
    CPPUNIT_TEST(testLongestSecretFirst);
    CPPUNIT_TEST(testIgnoresTinySecrets);
    CPPUNIT_TEST(testMultiLineSecretsLineByLine);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { Redactor::instance().clear(); }
    void tearDown() override { Redactor::instance().clear(); }

    void testReplacesEveryOccurrence()
    {
        Redactor::instance().add("s3cret-token");
        CPPUNIT_ASSERT_EQUAL(std::string("a *** b ***"),
                             Redactor::instance().redact("a s3cret-token b s3cret-token"));
    }

    void testMultiLineSecretsLineByLine()
    {
        Redactor::instance().add("first-line\r\nsecond-line\nab\n" +
                                 std::string("bin\0ary-part", 12));
        CPPUNIT_ASSERT_EQUAL(std::string("1 *** 2 *** ab"),
                             Redactor::instance().redact("1 first-line 2 second-line ab"));
        CPPUNIT_ASSERT_EQUAL(std::string("***"), Redactor::instance().redact("ary-part"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), Redactor::instance().secrets().size());
    }

    void testLongestSecretFirst()
    {
        Redactor::instance().add("abcd");
        Redactor::instance().add("abcdefgh");
        CPPUNIT_ASSERT_EQUAL(std::string("x ***"), Redactor::instance().redact("x abcdefgh"));
    }

    void testIgnoresTinySecrets()
    {
        Redactor::instance().add("ab");
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), Redactor::instance().redact("abc"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RedactorTest);
