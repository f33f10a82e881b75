#include "app/App.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace hoist;

class AppTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AppTest);
    CPPUNIT_TEST(testUsageErrorExits64WithEveryProblem);
    CPPUNIT_TEST(testHelpListsOnlyImplementedCommands);
    CPPUNIT_TEST(testCommandHelpShowsEnvironmentNames);
    CPPUNIT_TEST(testVersionJson);
    CPPUNIT_TEST_SUITE_END();

public:
    int run(std::vector<std::string> args, base::Env::Map env = {})
    {
        _out.str("");
        _err.str("");
        app::App app(base::Env(std::move(env)), _out, _err);
        return app.run(args);
    }

    void testUsageErrorExits64WithEveryProblem()
    {
        CPPUNIT_ASSERT_EQUAL(64, run({"version", "--nope", "--log-level=x"}));
        std::string err = _err.str();
        CPPUNIT_ASSERT(err.find("hoist: error: unknown option \"--nope\"") != std::string::npos);
        CPPUNIT_ASSERT(err.find("hoist: error: --log-level \"x\"") != std::string::npos);
        CPPUNIT_ASSERT(err.find("hoist: see 'hoist version --help'") != std::string::npos);
        CPPUNIT_ASSERT(_out.str().empty());
    }

    void testHelpListsOnlyImplementedCommands()
    {
        CPPUNIT_ASSERT_EQUAL(0, run({"--help"}));
        CPPUNIT_ASSERT(_out.str().find("  version") != std::string::npos);
    }

    void testCommandHelpShowsEnvironmentNames()
    {
        CPPUNIT_ASSERT_EQUAL(0, run({"version", "--help"}));
        CPPUNIT_ASSERT(_out.str().find("Usage: hoist version") != std::string::npos);
        CPPUNIT_ASSERT(_out.str().find("--builder, --name NAME") != std::string::npos);
        CPPUNIT_ASSERT(_out.str().find("HOIST_JSON") != std::string::npos);
    }

    void testVersionJson()
    {
        CPPUNIT_ASSERT_EQUAL(0, run({"version", "--json"}));
        CPPUNIT_ASSERT(_out.str().find("\"buildkitImage\": \"moby/buildkit:buildx-stable-1\"") !=
                       std::string::npos);
    }

private:
    std::ostringstream _out;
    std::ostringstream _err;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppTest);
