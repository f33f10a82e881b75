#include "builder/Hold.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::builder;

class HoldTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HoldTest);
    CPPUNIT_TEST(testArgvNamesItsJob);
    CPPUNIT_TEST_SUITE_END();

public:
    void testArgvNamesItsJob()
    {
        // Other jobs read the owner from the exec's arguments: teardown and a waiting setup
        // say whose builds hold the builder.
        const auto a = Hold::argv("/h", "github:o/r/7/1/build", {"/w/metadata.json"}, {"/w"});
        const std::vector<std::string> want = {
            "/h",     "__hold",           "--owner", "github:o/r/7/1/build",
            "--stop", "/w/metadata.json", "--rm",    "/w"};
        CPPUNIT_ASSERT(want == a);
        // The engine reports the arguments after the entrypoint.
        CPPUNIT_ASSERT_EQUAL(std::string("github:o/r/7/1/build"),
                             Hold::owner(std::vector<std::string>(a.begin() + 1, a.end())));
        const auto none = Hold::argv("/h", "", {}, {"/w"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), none.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), Hold::owner(none));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HoldTest);
