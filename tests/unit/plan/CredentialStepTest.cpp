#include "plan/CredentialStep.h"
#include "base/Env.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using hoist::test::TempDir;

class CredentialStepTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CredentialStepTest);
    CPPUNIT_TEST(testPushLoginBeforeACachesPullLogin);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPushLoginBeforeACachesPullLogin()
    {
        // docker/login-action's scopes, as it writes them under buildx's config dir.
        TempDir d;
        d.write("buildx/config/reg.example/team/app@push/config.json",
                R"({"auths":{"reg.example":{"auth":"cHVzaGVyOnAx"}}})"); // pusher:p1
        d.write("buildx/config/reg.example/team/cache@pull/config.json",
                R"({"auths":{"reg.example":{"auth":"cHVsbGVyOnAy"}}})"); // puller:p2
        const engine::ScopedCredentials logins =
            engine::ScopedCredentials::load(d.path() + "/buildx", base::Env(base::Env::Map{}));
        buildrun::BuildRequest r;
        r.outputs = {{buildrun::OutputType::Image,
                      {{"name", "reg.example/team/app:1"}, {"push", "true"}},
                      ""}};
        r.cacheFrom = {{buildrun::CacheType::Registry, {{"ref", "reg.example/team/cache"}}, ""}};
        auto chosen = plan::scopedLogins(r, logins, "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), chosen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("reg.example"), chosen[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("pusher"), chosen[0].second.username);
        // A build that only reads the cache gets the cache's login.
        r.outputs.clear();
        chosen = plan::scopedLogins(r, logins, "");
        CPPUNIT_ASSERT_EQUAL(std::string("puller"), chosen.at(0).second.username);
        // The CI's own registry keeps the CI's login.
        CPPUNIT_ASSERT(plan::scopedLogins(r, logins, "reg.example").empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CredentialStepTest);
