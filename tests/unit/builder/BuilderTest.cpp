// Unit scenarios of a builder's life on a fake engine: setup (create, reuse, start, recreate,
// the privileged fallback, a failure that leaves nothing), holds, and teardown with and without
// its state. The docker scenarios prove the same against the real engine, in seconds each.

#include "builder/Builder.h"
#include "base/Error.h"
#include "builder/Labels.h"
#include "fakes/FakeEngine.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace hoist;
using namespace hoist::builder;
using hoist::test::FakeEngine;

namespace
{

const char* CONTAINER = "buildx_buildkit_ci0";
const char* VOLUME = "buildx_buildkit_ci0_state";

BuilderSpec spec(const std::string& session = "local:test:1", std::vector<std::string> opts = {})
{
    BuilderSpec s;
    s.name = "ci";
    s.session = session;
    s.hoistVersion = "test";
    hoist::base::Problems problems;
    s.opts = DriverOpts::parse(opts, "--driver-opt", problems);
    s.flags = BuildkitdConfig::flags("", "--buildkitd-flags", s.opts.network, false, problems);
    return s;
}

bool contains(const std::vector<std::string>& notes, const std::string& part)
{
    for (const auto& n : notes)
    {
        if (n.find(part) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

class BuilderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuilderTest);
    CPPUNIT_TEST(testCreatesWhatIsMissing);
    CPPUNIT_TEST(testReusesARunningBuilderOfTheSameConfig);
    CPPUNIT_TEST(testStartsAStoppedBuilder);
    CPPUNIT_TEST(testRecreatesWhenTheConfigChanged);
    CPPUNIT_TEST(testRecreatesAContainerLeftCreated);
    CPPUNIT_TEST(testFallsBackWhenPrivilegedIsRefused);
    CPPUNIT_TEST(testRemembersThatPrivilegedIsRefused);
    CPPUNIT_TEST(testFailedSetupLeavesNothing);
    CPPUNIT_TEST(testTeardownKeepsTheVolumeUnlessAsked);
    CPPUNIT_TEST(testTeardownLeavesABuilderOthersHold);
    CPPUNIT_TEST(testTeardownRefusesWhatHoistDidNotMake);
    CPPUNIT_TEST(testJobHoldLastsUntilItsTeardown);
    CPPUNIT_TEST(testSetupWaitsForOthersBeforeRecreating);
    CPPUNIT_TEST_SUITE_END();

public:
    std::vector<std::string> notes;

    Builder make(FakeEngine& engine, BuilderSpec s = spec())
    {
        return Builder(engine, std::move(s), [this](const std::string& n) { notes.push_back(n); });
    }

    SetupResult setup(Builder& b, bool holdForJob = false)
    {
        return b.setup(PullPolicy::Missing, "", Poco::Timespan(5, 0), holdForJob);
    }

    void testCreatesWhatIsMissing()
    {
        FakeEngine e;
        Builder b = make(e);
        SetupResult r = setup(b);
        CPPUNIT_ASSERT(r.action == SetupAction::Created);
        CPPUNIT_ASSERT(!r.warmState);
        CPPUNIT_ASSERT(r.mode == SecurityMode::Privileged);
        const FakeEngine::Container& c = e.containers.at(CONTAINER);
        CPPUNIT_ASSERT(c.state == engine::ContainerState::Running);
        CPPUNIT_ASSERT(c.config.host.security == SecurityMode::Privileged);
        CPPUNIT_ASSERT_EQUAL(std::string("ci"), c.config.labels.at(LABEL_BUILDER));
        CPPUNIT_ASSERT_EQUAL(std::string(VOLUME), c.config.host.mounts.at(0).source);
        CPPUNIT_ASSERT(e.volumes.count(VOLUME));
        // The engine lock was taken (a container of its own) and let go.
        CPPUNIT_ASSERT_EQUAL(std::string("hoist_lock_buildx_buildkit_ci0"), e.created.at(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), e.containers.size());
        CPPUNIT_ASSERT(r.status.platforms ==
                       std::vector<std::string>({"linux/amd64", "linux/386"}));
        CPPUNIT_ASSERT_EQUAL(std::string("v0.32.2"), r.status.buildkitVersion);
    }

    void testReusesARunningBuilderOfTheSameConfig()
    {
        FakeEngine e;
        Builder first = make(e);
        setup(first);
        Builder second = make(e, spec("github:o/r/1/1/build"));
        SetupResult r = setup(second);
        CPPUNIT_ASSERT(r.action == SetupAction::Reused);
        CPPUNIT_ASSERT(r.warmState);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), e.created.size()); // two locks, one builder
    }

    void testStartsAStoppedBuilder()
    {
        FakeEngine e;
        Builder b = make(e);
        setup(b);
        e.stopContainer(CONTAINER, 0);
        SetupResult r = setup(b);
        CPPUNIT_ASSERT(r.action == SetupAction::Started);
        CPPUNIT_ASSERT(e.containers.at(CONTAINER).state == engine::ContainerState::Running);
    }

    void testRecreatesWhenTheConfigChanged()
    {
        FakeEngine e;
        Builder b = make(e);
        setup(b);
        Builder changed = make(e, spec("local:test:1", {"memory=512m"}));
        SetupResult r = setup(changed);
        CPPUNIT_ASSERT(r.action == SetupAction::Recreated);
        CPPUNIT_ASSERT(r.warmState);
        CPPUNIT_ASSERT_EQUAL(512LL * 1024 * 1024, e.containers.at(CONTAINER).config.host.memory);
        CPPUNIT_ASSERT(contains(notes, "exists with another configuration; recreating it"));
    }

    void testRecreatesAContainerLeftCreated()
    {
        FakeEngine e;
        Builder b = make(e);
        setup(b);
        e.containers.at(CONTAINER).state = engine::ContainerState::Created; // a killed setup
        SetupResult r = setup(b);
        CPPUNIT_ASSERT(r.action == SetupAction::Recreated);
        CPPUNIT_ASSERT(contains(notes, "found buildx_buildkit_ci0 created"));
    }

    void testFallsBackWhenPrivilegedIsRefused()
    {
        FakeEngine e;
        e.refusePrivileged = true;
        Builder b = make(e);
        SetupResult r = setup(b);
        CPPUNIT_ASSERT(r.mode == SecurityMode::Capabilities);
        const FakeEngine::Container& c = e.containers.at(CONTAINER);
        CPPUNIT_ASSERT(c.config.host.security == SecurityMode::Capabilities);
        CPPUNIT_ASSERT(c.state == engine::ContainerState::Running);
        CPPUNIT_ASSERT(contains(notes, "the engine refuses privileged containers"));
        // The same builder again is the same configuration: reused, not recreated.
        CPPUNIT_ASSERT(setup(b).action == SetupAction::Reused);
    }

    void testRemembersThatPrivilegedIsRefused()
    {
        hoist::test::TempDir dir;
        FakeEngine e;
        e.refusePrivileged = true;
        auto made = [&]
        {
            std::size_t n = 0;
            for (const auto& c : e.created)
                n += c == CONTAINER ? 1 : 0;
            return n;
        };
        Builder first = make(e);
        first.setEngineMemory(EngineMemory(dir.path()));
        setup(first);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), made()); // privileged, refused; then the fallback
        first.teardown(true, false, false);
        // A warm setup makes one container, not two.
        Builder second = make(e);
        second.setEngineMemory(EngineMemory(dir.path()));
        CPPUNIT_ASSERT(setup(second).mode == SecurityMode::Capabilities);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), made());
        CPPUNIT_ASSERT(contains(notes, "this engine refuses privileged containers (learnt before"));
        second.teardown(true, false, false);
        // Another engine version may allow it: asked again.
        e.serverVersion = "29.1.0";
        e.refusePrivileged = false;
        Builder third = make(e);
        third.setEngineMemory(EngineMemory(dir.path()));
        CPPUNIT_ASSERT(setup(third).mode == SecurityMode::Privileged);
    }

    void testFailedSetupLeavesNothing()
    {
        FakeEngine e;
        e.images.clear(); // and the pull fails
        Builder b = make(e);
        CPPUNIT_ASSERT_THROW(setup(b), base::UnavailableException);
        CPPUNIT_ASSERT(e.containers.empty());
        CPPUNIT_ASSERT(e.volumes.empty());
    }

    void testTeardownKeepsTheVolumeUnlessAsked()
    {
        FakeEngine e;
        Builder b = make(e);
        setup(b);
        const std::string identity = b.stateIdentity();
        CPPUNIT_ASSERT_EQUAL(std::string(VOLUME) + " ", identity.substr(0, identity.find(' ') + 1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), identity.size() - identity.find(' ') - 1);
        TeardownResult kept = b.teardown(true, false, false);
        CPPUNIT_ASSERT(kept.removedContainer);
        CPPUNIT_ASSERT(kept.keptVolume);
        CPPUNIT_ASSERT(e.containers.empty());
        CPPUNIT_ASSERT(e.volumes.count(VOLUME));
        setup(b);
        CPPUNIT_ASSERT_EQUAL(identity, b.stateIdentity()); // the kept volume: the same one
        TeardownResult removed = b.teardown(false, false, false);
        CPPUNIT_ASSERT(removed.removedVolume);
        CPPUNIT_ASSERT(e.volumes.empty());
        CPPUNIT_ASSERT_EQUAL(std::string(), b.stateIdentity());
        setup(b);
        CPPUNIT_ASSERT(b.stateIdentity() != identity); // made anew: another, under the same name
    }

    void testTeardownLeavesABuilderOthersHold()
    {
        FakeEngine e;
        Builder other = make(e, spec("github:o/r/7/1/build"));
        setup(other);
        auto build = other.hold({"/w/metadata.json"}, {"/w"});
        Builder mine = make(e);
        TeardownResult r = mine.teardown(true, false, false);
        CPPUNIT_ASSERT(r.heldBy == std::vector<std::string>{"github:o/r/7/1/build"});
        CPPUNIT_ASSERT(!r.removedContainer);
        CPPUNIT_ASSERT(e.containers.count(CONTAINER));
        build->releaseAndWait(Poco::Timespan(1, 0));
        CPPUNIT_ASSERT(mine.teardown(true, false, false).removedContainer);
        // --force removes a held builder all the same.
        setup(other);
        auto again = other.hold({}, {});
        CPPUNIT_ASSERT(mine.teardown(true, true, false).removedContainer);
    }

    void testTeardownRefusesWhatHoistDidNotMake()
    {
        FakeEngine e;
        engine::ContainerCreate buildx;
        buildx.image = "moby/buildkit:buildx-stable-1";
        e.createContainer(CONTAINER, buildx);
        Builder b = make(e);
        CPPUNIT_ASSERT_THROW(b.teardown(true, false, false), base::UsageException);
        CPPUNIT_ASSERT(e.containers.count(CONTAINER));
        CPPUNIT_ASSERT(b.teardown(true, true, false).removedContainer);
    }

    void testJobHoldLastsUntilItsTeardown()
    {
        FakeEngine e;
        Builder run = make(e, spec("gitlab:g/p/5/build"));
        setup(run, true);
        CPPUNIT_ASSERT_EQUAL(1, e.running(CONTAINER, "__hold"));
        // Another job's teardown between this run's setup and its build leaves it running.
        Builder other = make(e, spec("local:test:2"));
        CPPUNIT_ASSERT(other.teardown(true, false, false).heldBy ==
                       std::vector<std::string>{"gitlab:g/p/5/build"});
        // The run's own teardown lets go of its hold under the engine lock, so a setup waiting
        // to recreate the builder cannot take it in between; then it removes the builder.
        bool locked = false;
        e.onRelease = [&] { locked = e.containers.count("hoist_lock_buildx_buildkit_ci0") > 0; };
        CPPUNIT_ASSERT(run.teardown(true, false, false).removedContainer);
        CPPUNIT_ASSERT(locked);
        CPPUNIT_ASSERT(e.containers.empty());
    }

    void testSetupWaitsForOthersBeforeRecreating()
    {
        FakeEngine e;
        Builder building = make(e, spec("github:o/r/7/1/build"));
        setup(building);
        auto held = building.hold({}, {});
        Builder other = make(e, spec("local:test:1", {"memory=512m"}));
        std::atomic<bool> done{false};
        SetupResult r;
        std::thread t(
            [&]
            {
                r = setup(other);
                done = true;
            });
        // It says for whom it waits, and does not recreate the builder under their build.
        for (int i = 0; i < 100 && !contains(notes, "waiting for the builds of"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CPPUNIT_ASSERT(contains(notes, "waiting for the builds of github:o/r/7/1/build"));
        CPPUNIT_ASSERT(!done);
        CPPUNIT_ASSERT_EQUAL(0LL, e.containers.at(CONTAINER).config.host.memory);
        held->releaseAndWait(Poco::Timespan(1, 0));
        t.join();
        CPPUNIT_ASSERT(r.action == SetupAction::Recreated);
        CPPUNIT_ASSERT_EQUAL(512LL * 1024 * 1024, e.containers.at(CONTAINER).config.host.memory);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuilderTest);
