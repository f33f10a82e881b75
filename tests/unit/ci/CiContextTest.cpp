#include "ci/CiContext.h"

#include "base/Strings.h"
#include "fakes/Messages.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::ci;

class CiContextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CiContextTest);
    CPPUNIT_TEST(testSummarySwitchesAsBuildPushAction);
    CPPUNIT_TEST(testSwitchesParseAsTheToolkit);
    CPPUNIT_TEST(testBuildRecordUploadIsRefused);
    CPPUNIT_TEST(testAnyDindEngineIsEphemeral);
    CPPUNIT_TEST(testGitLabLogins);
    CPPUNIT_TEST(testPullRequestHeadAsTheDefaultGitContext);
    CPPUNIT_TEST_SUITE_END();

    static CiContext github(base::Env::Map env)
    {
        env.emplace("GITHUB_ACTIONS", "true");
        env.emplace("GITHUB_REPOSITORY", "o/r");
        env.emplace("GITHUB_RUN_ID", "1");
        return CiContext::detect(base::Env(env));
    }

    static std::string problems(const CiContext& c)
    {
        return base::join(test::messages(c.switchProblems), "\n");
    }

public:
    void testPullRequestHeadAsTheDefaultGitContext()
    {
        // A pull request's run builds the merge commit; with the switch, its head commit.
        test::TempDir d;
        d.write("event.json", R"({"pull_request": {"head": {"sha": "headsha"}}})");
        const base::Env::Map pr = {{"GITHUB_EVENT_NAME", "pull_request"},
                                   {"GITHUB_EVENT_PATH", d.path() + "/event.json"},
                                   {"GITHUB_SHA", "mergesha"}};
        CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/o/r.git#mergesha"),
                             github(pr).gitContext);
        for (const char* yes : {"true", "1", "T"})
        {
            base::Env::Map on = pr;
            on.emplace("DOCKER_DEFAULT_GIT_CONTEXT_PR_HEAD_REF", yes);
            CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/o/r.git#headsha"),
                                 github(on).gitContext);
        }
        base::Env::Map off = pr;
        off.emplace("DOCKER_DEFAULT_GIT_CONTEXT_PR_HEAD_REF", "false");
        CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/o/r.git#mergesha"),
                             github(off).gitContext);
    }

    void testSummarySwitchesAsBuildPushAction()
    {
        CPPUNIT_ASSERT(github({}).jobSummary);
        CPPUNIT_ASSERT(!github({{"DOCKER_BUILD_SUMMARY", "false"}}).jobSummary);
        // The deprecated DOCKER_BUILD_NO_SUMMARY wins when set.
        CPPUNIT_ASSERT(!github({{"DOCKER_BUILD_NO_SUMMARY", "true"}}).jobSummary);
        CPPUNIT_ASSERT(
            github({{"DOCKER_BUILD_NO_SUMMARY", "false"}, {"DOCKER_BUILD_SUMMARY", "false"}})
                .jobSummary);
    }

    void testSwitchesParseAsTheToolkit()
    {
        // 1, t, true, 0, f, false in any case.
        CPPUNIT_ASSERT(!github({{"DOCKER_BUILD_CHECKS_ANNOTATIONS", "FALSE"}}).checkAnnotations);
        CPPUNIT_ASSERT(!github({{"DOCKER_BUILD_CHECKS_ANNOTATIONS", "fAlSe"}}).checkAnnotations);
        CPPUNIT_ASSERT(!github({{"DOCKER_BUILD_SUMMARY", "F"}}).jobSummary);
        const CiContext bad = github({{"DOCKER_BUILD_SUMMARY", "yes"}});
        CPPUNIT_ASSERT(problems(bad).find("DOCKER_BUILD_SUMMARY=\"yes\" is not true or false") !=
                       std::string::npos);
    }

    void testBuildRecordUploadIsRefused()
    {
        CPPUNIT_ASSERT(problems(github({})).empty());
        CPPUNIT_ASSERT(problems(github({{"DOCKER_BUILD_RECORD_UPLOAD", "false"},
                                        {"DOCKER_BUILD_RECORD_RETENTION_DAYS", "3"}}))
                           .empty());
        CPPUNIT_ASSERT(problems(github({{"DOCKER_BUILD_RECORD_UPLOAD", "true"}}))
                           .find("DOCKER_BUILD_RECORD_UPLOAD=true: hoist does not export and "
                                 "upload build records") != std::string::npos);
        // A retention with the upload at its default: said to have no effect, not refused.
        const CiContext retention = github({{"DOCKER_BUILD_EXPORT_RETENTION_DAYS", "3"}});
        CPPUNIT_ASSERT(problems(retention).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), retention.switchWarnings.size());
        CPPUNIT_ASSERT(retention.switchWarnings[0].find("DOCKER_BUILD_EXPORT_RETENTION_DAYS has "
                                                        "no effect: hoist does not export") == 0);
    }

    static CiContext gitlab(base::Env::Map env)
    {
        env.emplace("GITLAB_CI", "true");
        env.emplace("CI_JOB_ID", "1");
        env.emplace("CI_PROJECT_PATH", "g/p");
        return CiContext::detect(base::Env(env));
    }

    void testAnyDindEngineIsEphemeral()
    {
        for (const char* host : {"tcp://docker:2376", "tcp://docker:2375", "tcp://docker",
                                 "tcp://localhost:2376", "tcp://127.0.0.1:2375"})
            CPPUNIT_ASSERT_MESSAGE(host, gitlab({{"DOCKER_HOST", host}}).ephemeralEngine);
        for (const char* host : {"unix:///var/run/docker.sock", "tcp://localhost:12376",
                                 "tcp://build-host.example:2376", "ssh://u@docker"})
            CPPUNIT_ASSERT_MESSAGE(host, !gitlab({{"DOCKER_HOST", host}}).ephemeralEngine);
    }

    void testGitLabLogins()
    {
        const CiContext c = gitlab({{"CI_REGISTRY", "r.example"},
                                    {"CI_REGISTRY_USER", "gitlab-ci-token"},
                                    {"CI_REGISTRY_PASSWORD", "p1"},
                                    {"CI_DEPENDENCY_PROXY_SERVER", "r.example:443"},
                                    {"CI_DEPENDENCY_PROXY_USER", "gitlab-ci-token"},
                                    {"CI_DEPENDENCY_PROXY_PASSWORD", "p2"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), c.logins.size());
        CPPUNIT_ASSERT_EQUAL(std::string("r.example"), c.logins[0].host);
        CPPUNIT_ASSERT_EQUAL(std::string("r.example:443"), c.logins[1].host);
        CPPUNIT_ASSERT_EQUAL(std::string("p2"), c.logins[1].password);
        CPPUNIT_ASSERT(gitlab({}).logins.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CiContextTest);
