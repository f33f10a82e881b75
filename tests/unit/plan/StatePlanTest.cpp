// The state plan: --state-from/--state-to/--state-max-size as a user gives them, parsed with the
// real option table, and GitLab's defaults for a docker:dind engine.

#include "plan/StatePlan.h"
#include "fakes/Messages.h"

#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;

namespace
{

plan::StatePlan planFor(const std::vector<std::string>& args, hoist::base::Problems& problems,
                        base::Env::Map env = {}, const std::string& command = "run")
{
    std::vector<std::string> argv = {command};
    argv.insert(argv.end(), args.begin(), args.end());
    base::Env e(env);
    const cli::Options o = cli::Options::from(
        cli::OptionParser(cli::OptionTable::instance(), e).parse(argv, problems));
    return plan::planState(o.state, ci::CiContext::detect(e), problems);
}

base::Env::Map gitlabDind()
{
    return {{"GITLAB_CI", "true"},
            {"CI_REGISTRY", "registry.gitlab.com"},
            {"CI_REGISTRY_USER", "gitlab-ci-token"},
            {"CI_REGISTRY_PASSWORD", "pw"},
            {"CI_REGISTRY_IMAGE", "registry.gitlab.com/octo/app"},
            {"CI_COMMIT_REF_NAME", "feature/x"},
            {"CI_COMMIT_REF_SLUG", "feature-x"},
            {"CI_DEFAULT_BRANCH", "main"},
            {"DOCKER_HOST", "tcp://docker:2376"}};
}

} // namespace

class StatePlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StatePlanTest);
    CPPUNIT_TEST(testRegistryAndLocalLocations);
    CPPUNIT_TEST(testEveryProblemAtOnce);
    CPPUNIT_TEST(testGitLabDindDefaults);
    CPPUNIT_TEST(testMergeRequestsReadOnly);
    CPPUNIT_TEST(testGivenLocationsReplaceTheDefaults);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRegistryAndLocalLocations()
    {
        hoist::base::Problems problems;
        const plan::StatePlan p =
            planFor({"--state-from", "type=registry,ref=localhost:5000/s:main", "--state-from",
                     "type=local,src=/cache/state", "--state-to", "type=local,dest=/cache/state",
                     "--state-max-size", "512m", "--insecure-registry", "localhost:5000"},
                    problems);
        CPPUNIT_ASSERT_EQUAL(std::string(), base::join(hoist::test::messages(problems), "\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.from.size());
        CPPUNIT_ASSERT(p.from[0].kind == state::Location::Kind::Registry);
        CPPUNIT_ASSERT_EQUAL(std::string("localhost:5000/s:main"), p.from[0].ref);
        CPPUNIT_ASSERT(p.from[1].kind == state::Location::Kind::Local);
        CPPUNIT_ASSERT_EQUAL(std::string("/cache/state"), p.from[1].dir);
        CPPUNIT_ASSERT(p.to && p.to->dir == "/cache/state");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(512) << 20, p.maxBytes);
        CPPUNIT_ASSERT(p.plainHttp.count("localhost:5000"));
        CPPUNIT_ASSERT(p.defaults.empty());
        // Without --state-max-size: 2 GiB; setup takes none and needs none.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2) << 30, planFor({}, problems).maxBytes);
        planFor({"--state-from", "type=local,src=/c"}, problems, {}, "setup");
        CPPUNIT_ASSERT_EQUAL(std::string(), base::join(hoist::test::messages(problems), "\n"));
    }

    void testEveryProblemAtOnce()
    {
        hoist::base::Problems problems;
        planFor({"--state-from", "type=local,dest=/x", "--state-from", "type=s3,bucket=b",
                 "--state-to", "type=registry", "--state-max-size", "lots"},
                problems, {{"HOIST_STATE_FROM", ""}});
        const std::string all = base::join(hoist::test::messages(problems), "\n");
        CPPUNIT_ASSERT_MESSAGE(all, all.find("--state-from \"type=local,dest=/x\" needs src=DIR") !=
                                        std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(all,
                               all.find("the type must be registry or local") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(all, all.find("--state-to \"type=registry\" needs ref=REF") !=
                                        std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(all, all.find("--state-max-size \"lots\" is not a size") !=
                                        std::string::npos);
    }

    void testGitLabDindDefaults()
    {
        hoist::base::Problems problems;
        const plan::StatePlan p = planFor({}, problems, gitlabDind());
        CPPUNIT_ASSERT_EQUAL(std::string(), base::join(hoist::test::messages(problems), "\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.from.size());
        CPPUNIT_ASSERT_EQUAL(std::string("registry.gitlab.com/octo/app/hoist-state:feature-x"),
                             p.from[0].ref);
        CPPUNIT_ASSERT_EQUAL(std::string("registry.gitlab.com/octo/app/hoist-state:main"),
                             p.from[1].ref);
        CPPUNIT_ASSERT(p.to && p.to->ref == p.from[0].ref);
        CPPUNIT_ASSERT(!p.defaults.empty());
        // The host's engine survives the job: no default.
        base::Env::Map shell = gitlabDind();
        shell.erase("DOCKER_HOST");
        CPPUNIT_ASSERT(planFor({}, problems, shell).from.empty());
    }

    void testMergeRequestsReadOnly()
    {
        hoist::base::Problems problems;
        base::Env::Map env = gitlabDind();
        env["CI_PIPELINE_SOURCE"] = "merge_request_event";
        env["CI_MERGE_REQUEST_IID"] = "7";
        const plan::StatePlan p = planFor({}, problems, env);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.from.size());
        CPPUNIT_ASSERT(!p.to);
    }

    void testGivenLocationsReplaceTheDefaults()
    {
        hoist::base::Problems problems;
        const plan::StatePlan p =
            planFor({"--state-from", "type=local,src=/cache"}, problems, gitlabDind());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.from.size());
        CPPUNIT_ASSERT_EQUAL(std::string("/cache"), p.from[0].dir);
        CPPUNIT_ASSERT(!p.to);
        CPPUNIT_ASSERT(p.defaults.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatePlanTest);
