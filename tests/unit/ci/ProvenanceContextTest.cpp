#include "ci/ProvenanceContext.h"
#include "base/Error.h"
#include "base/Redactor.h"
#include "ci/CiContext.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::ci;
using hoist::test::TempDir;

class ProvenanceContextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProvenanceContextTest);
    CPPUNIT_TEST(testGate);
    CPPUNIT_TEST(testGitHubGroupsAreAllOrNothing);
    CPPUNIT_TEST(testBadEventFile);
    CPPUNIT_TEST(testGitLab);
    CPPUNIT_TEST(testSessions);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGate()
    {
        CPPUNIT_ASSERT(
            !ProvenanceContext::github(base::Env(base::Env::Map{{"GITHUB_ACTIONS", "true"}})));
        CPPUNIT_ASSERT(
            !ProvenanceContext::github(base::Env(base::Env::Map{{"GITHUB_ACTIONS", "no"},
                                                                {"GITHUB_EVENT_NAME", "push"},
                                                                {"GITHUB_EVENT_PATH", "/x"}})));
        CPPUNIT_ASSERT(!ProvenanceContext::gitlab(base::Env()));
    }

    void testGitHubGroupsAreAllOrNothing()
    {
        TempDir d;
        d.write("event.json", R"({"b":1,"a":{"z":true,"y":"s"}})");
        base::Env env(base::Env::Map{{"GITHUB_ACTIONS", "1"},
                                     {"GITHUB_EVENT_NAME", "pull_request"},
                                     {"GITHUB_EVENT_PATH", d.path() + "/event.json"},
                                     {"GITHUB_ACTOR", "a"},
                                     {"GITHUB_ACTOR_ID", "1"},
                                     {"GITHUB_TRIGGERING_ACTOR", "b"},
                                     {"GITHUB_REF", "refs/pull/1/merge"},
                                     {"RUNNER_OS", "Linux"},
                                     {"GITHUB_TOKEN", "ghs_never"}});
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"github_actor":"a","github_actor_id":"1","github_event_name":)"
                        R"("pull_request","github_event_payload":{"a":{"y":"s","z":true},"b":1},)"
                        R"("github_triggering_actor":"b"})"),
            *ProvenanceContext::github(env));
    }

    void testBadEventFile()
    {
        TempDir d;
        d.write("event.json", "[1,2]");
        base::Env env(base::Env::Map{{"GITHUB_ACTIONS", "true"},
                                     {"GITHUB_EVENT_NAME", "push"},
                                     {"GITHUB_EVENT_PATH", d.path() + "/event.json"}});
        try
        {
            ProvenanceContext::github(env);
            CPPUNIT_FAIL("expected a ConfigException");
        }
        catch (const base::ConfigException& e)
        {
            CPPUNIT_ASSERT(e.message().find("failed to unmarshal GitHub event payload") == 0);
        }
    }

    void testGitLab()
    {
        base::Env env(base::Env::Map{{"GITLAB_CI", "true"},
                                     {"CI_JOB_ID", "5"},
                                     {"CI_JOB_NAME", "b"},
                                     {"CI_JOB_STAGE", "s"},
                                     {"CI_JOB_URL", "u"},
                                     {"CI_COMMIT_TAG", "v1"},
                                     {"CI_JOB_TOKEN", "never"}});
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"gitlab_commit_tag":"v1","gitlab_job_id":"5","gitlab_job_name":"b",)"
                        R"("gitlab_job_stage":"s","gitlab_job_url":"u"})"),
            *ProvenanceContext::gitlab(env));
    }

    void testSessions()
    {
        CiContext gh = CiContext::detect(base::Env(base::Env::Map{{"GITHUB_ACTIONS", "true"},
                                                                  {"GITHUB_REPOSITORY", "o/r"},
                                                                  {"GITHUB_RUN_ID", "9"},
                                                                  {"GITHUB_JOB", "j"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("github:o/r/9/1/j"), gh.session);
        CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/o/r/actions/runs/9"), gh.runUrl);
        CiContext gl = CiContext::detect(base::Env(
            base::Env::Map{{"GITLAB_CI", "true"}, {"CI_PROJECT_PATH", "g/p"}, {"CI_JOB_ID", "3"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("gitlab:g/p/3"), gl.session);
        CPPUNIT_ASSERT_EQUAL(std::string("local"), CiContext::detect(base::Env()).providerName());
        CiContext reg =
            CiContext::detect(base::Env(base::Env::Map{{"GITLAB_CI", "true"},
                                                       {"CI_REGISTRY", "registry.gitlab.example"},
                                                       {"CI_REGISTRY_USER", "gitlab-ci-token"},
                                                       {"CI_REGISTRY_PASSWORD", "job-token-123"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("registry.gitlab.example"), reg.registry.host);
        CPPUNIT_ASSERT_EQUAL(std::string("x ***"),
                             base::Redactor::instance().redact("x job-token-123"));
        base::Redactor::instance().clear();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProvenanceContextTest);
