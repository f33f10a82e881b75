#include "base/Base64.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::base;

class Base64Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(Base64Test);
    CPPUNIT_TEST(testRoundTripOnOneLine);
    CPPUNIT_TEST(testUnpaddedAndDamaged);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRoundTripOnOneLine()
    {
        const std::string bytes(100, '\xff');
        const std::string text = toBase64(bytes);
        CPPUNIT_ASSERT(text.find('\n') == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("dXNlcjpwYTpzcw=="), toBase64("user:pa:ss"));
        CPPUNIT_ASSERT(fromBase64(text) == bytes);
    }

    void testUnpaddedAndDamaged()
    {
        // Docker configs written without padding decode whole.
        CPPUNIT_ASSERT_EQUAL(std::string("user:pa:ss"), fromBase64("dXNlcjpwYTpzcw"));
        CPPUNIT_ASSERT_EQUAL(std::string("use"),
                             fromBase64("dXNl!!!!")); // the whole blocks before damage
        CPPUNIT_ASSERT_EQUAL(std::string(), fromBase64(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Base64Test);
