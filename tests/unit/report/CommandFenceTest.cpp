#include "report/CommandFence.h"
#include "report/GitHubCommands.h"

#include <Poco/RegularExpression.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using hoist::report::CommandFence;
using hoist::report::GitHubCommands;

class CommandFenceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CommandFenceTest);
    CPPUNIT_TEST(testPlainLinesPassAsWritten);
    CPPUNIT_TEST(testRiskyLinesAreFencedAlone);
    CPPUNIT_TEST(testOwnCommandsPassAndAFenceHolds);
    CPPUNIT_TEST(testAnUnfinishedLineIsWrittenAtTheEnd);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPlainLinesPassAsWritten()
    {
        std::ostringstream out;
        {
            CommandFence fence(out);
            out << "hoist: building\nstep 1: RUN x" << std::flush << "\n";
        }
        CPPUNIT_ASSERT_EQUAL(std::string("hoist: building\nstep 1: RUN x\n"), out.str());
    }

    void testRiskyLinesAreFencedAlone()
    {
        const char* risky[] = {"::error::pwned", "  \t::set-output name=x::y",
                               "a ##[set-env name=A;]b", "\xc2\xa0::warning::nbsp"};
        for (const char* line : risky)
        {
            std::ostringstream out;
            {
                CommandFence fence(out);
                out << "before\n" << line << "\nafter\n";
            }
            Poco::RegularExpression::MatchVec m;
            Poco::RegularExpression re("^before\n::stop-commands::(hoist-[0-9a-f]{16})\n(.*)\n::("
                                       "hoist-[0-9a-f]{16})::\nafter\n$",
                                       Poco::RegularExpression::RE_DOTALL);
            std::vector<std::string> groups;
            CPPUNIT_ASSERT_MESSAGE(out.str(), re.split(out.str(), groups) == 4);
            CPPUNIT_ASSERT_EQUAL(std::string(line), groups[2]);
            CPPUNIT_ASSERT_EQUAL(groups[1], groups[3]);
        }
    }

    void testOwnCommandsPassAndAFenceHolds()
    {
        std::ostringstream out;
        {
            CommandFence fence(out);
            GitHubCommands gh(out, "", "", "", "");
            out << "half a line";
            gh.group("build");
            const std::string token = gh.stopCommands();
            out << "::error::inside the fence\n";
            gh.resume(token);
            gh.endGroup();
            CPPUNIT_ASSERT_EQUAL(
                std::string("half a line\n::group::build\n::stop-commands::" + token +
                            "\n::error::inside the fence\n::" + token + "::\n::endgroup::\n"),
                out.str());
        }
    }

    void testAnUnfinishedLineIsWrittenAtTheEnd()
    {
        std::ostringstream out;
        {
            CommandFence fence(out);
            out << "no newline" << std::flush;
            CPPUNIT_ASSERT_EQUAL(std::string(), out.str());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("no newline"), out.str());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommandFenceTest);
