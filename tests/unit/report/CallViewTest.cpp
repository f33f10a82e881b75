#include "report/CallView.h"
#include "buildrun/BuildVerdict.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;

class CallViewTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CallViewTest);
    CPPUNIT_TEST(testCheckReadsAsBuildxPrintsIt);
    CPPUNIT_TEST(testOtherCallsPrintTheAnswerAsItIs);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCheckReadsAsBuildxPrintsIt()
    {
        buildrun::BuildSummary clean;
        CPPUNIT_ASSERT_EQUAL(std::string("Check complete, no warnings found.\n"),
                             report::CallView::text("lint", clean));
        CPPUNIT_ASSERT(buildrun::BuildVerdict::ofCheck("lint", clean).kind ==
                       buildrun::BuildVerdict::Kind::Built);
        buildrun::BuildSummary two;
        two.callWarnings = 2;
        two.callResult = "WARNING: A\nWARNING: B";
        CPPUNIT_ASSERT_EQUAL(
            std::string("Check complete, 2 warnings have been found!\nWARNING: A\nWARNING: B\n"),
            report::CallView::text("lint", two));
        const auto v = buildrun::BuildVerdict::ofCheck("lint", two);
        CPPUNIT_ASSERT(v.kind == buildrun::BuildVerdict::Kind::StepFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("the Dockerfile's checks found 2 warnings"), v.message);
    }

    void testOtherCallsPrintTheAnswerAsItIs()
    {
        buildrun::BuildSummary s;
        s.callResult = "TARGET  DESCRIPTION\nbuild\n";
        CPPUNIT_ASSERT_EQUAL(s.callResult, report::CallView::text("targets", s));
        CPPUNIT_ASSERT(buildrun::BuildVerdict::ofCheck("targets", s).kind ==
                       buildrun::BuildVerdict::Kind::Built);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallViewTest);
