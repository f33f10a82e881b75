#include "report/JobSummary.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::report;

class JobSummaryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JobSummaryTest);
    CPPUNIT_TEST(testErrorBlockShowsTheTextAsItIs);
    CPPUNIT_TEST(testTableCellsAreEscaped);
    CPPUNIT_TEST(testStateMovesAreShown);
    CPPUNIT_TEST(testCiDefaultsShowOnOneRowWithHowToTurnThemOff);
    CPPUNIT_TEST(testOneBlockPerBuildNotPerStep);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOneBlockPerBuildNotPerStep()
    {
        RunReport r;
        for (const char* command : {"build", "run", "merge"})
        {
            r.command = command;
            CPPUNIT_ASSERT_MESSAGE(command, JobSummary::wanted(r));
        }
        for (const char* command : {"setup", "teardown", "qemu"})
        {
            r.command = command;
            r.exitCode = 0;
            CPPUNIT_ASSERT_MESSAGE(command, !JobSummary::wanted(r));
            r.exitCode = 69; // a failed step says why in the summary
            CPPUNIT_ASSERT_MESSAGE(command, JobSummary::wanted(r));
        }
    }

    void testErrorBlockShowsTheTextAsItIs()
    {
        RunReport r;
        r.command = "build";
        r.exitCode = 1;
        r.error = "RUN echo a > b | c\n``` not the end\n<b>";
        const std::string md = JobSummary::markdown(r);
        CPPUNIT_ASSERT(
            md.find("> ````\n> RUN echo a > b | c\n> ``` not the end\n> <b>\n> ````\n") !=
            std::string::npos);
        CPPUNIT_ASSERT(md.find("&gt;") == std::string::npos);
        CPPUNIT_ASSERT(md.find("\\|") == std::string::npos);
    }

    void testTableCellsAreEscaped()
    {
        RunReport r;
        r.command = "build";
        r.built = true;
        r.tags = {"a|b", "<x>"};
        const std::string md = JobSummary::markdown(r);
        CPPUNIT_ASSERT(md.find("| Tags | a\\|b, &lt;x&gt; |") != std::string::npos);
    }

    void testStateMovesAreShown()
    {
        RunReport r;
        r.command = "run";
        r.stateRestored = {"type=registry,ref=r.io/a/hoist-state:main", 197500000, 400000000, 3.4};
        const std::string md = JobSummary::markdown(r);
        CPPUNIT_ASSERT(md.find("| State restored from | type=registry,ref=r.io/a/hoist-state:main: "
                               "197.5 MB in 3.4s |") != std::string::npos);
        CPPUNIT_ASSERT(md.find("State saved to") == std::string::npos);
    }

    void testCiDefaultsShowOnOneRowWithHowToTurnThemOff()
    {
        RunReport r;
        r.command = "build";
        CPPUNIT_ASSERT(JobSummary::markdown(r).find("CI defaults") == std::string::npos);
        r.ciDefaults = {"cache type=gha,scope=b (GitHub's cache service)", "label a=<b>"};
        r.ciDefaultsOff = "off with the action input ci-defaults: false, --ci-defaults=false or "
                          "HOIST_CI_DEFAULTS=false";
        const std::string md = JobSummary::markdown(r);
        CPPUNIT_ASSERT(md.find("| CI defaults | cache type=gha,scope=b (GitHub's cache service); "
                               "label a=&lt;b&gt; (off with the action input ci-defaults: false, "
                               "--ci-defaults=false or HOIST_CI_DEFAULTS=false) |\n") !=
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JobSummaryTest);
