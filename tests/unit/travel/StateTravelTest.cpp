// The state's travel on a fake engine: a snapshot saved in a local layout fills a new builder's
// volume before buildkitd starts; one that does not fit, or a kept volume, leaves it cold.

#include "travel/StateTravel.h"
#include "base/TarWriter.h"
#include "builder/Builder.h"
#include "builder/Helper.h"
#include "builder/StateAttrs.h"
#include "engine/DockerConfig.h"
#include "fakes/FakeEngine.h"
#include "fakes/TempDir.h"
#include "state/Snapshots.h"
#include "state/Store.h"
#include "travel/RestorePlan.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using hoist::test::FakeEngine;
using hoist::test::TempDir;

class StateTravelTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StateTravelTest);
    CPPUNIT_TEST(testSnapshotFillsANewVolume);
    CPPUNIT_TEST(testSnapshotOfAnotherCpuStartsCold);
    CPPUNIT_TEST(testKeptVolumeIsNeverReplaced);
    CPPUNIT_TEST_SUITE_END();

public:
    TempDir dir;
    std::vector<std::string> notes, warnings;

    state::Location saved(const std::string& arch)
    {
        state::Location at{state::Location::Kind::Local, "", dir.path() + "/state",
                           "type=local,dest=" + dir.path() + "/state"};
        auto store = state::Store::open(at, nullptr, registry::RegistryHosts());
        state::SnapshotInfo info;
        info.image = "sha256:buildkit";
        info.stateDir = "/var/lib/buildkit";
        info.arch = arch;
        state::save(*store, info, builder::StateAttrs::toJson({}),
                    [](std::ostream& out)
                    {
                        base::TarWriter tar(out);
                        base::TarWriter::Entry e;
                        e.name = "buildkit/cache.db";
                        tar.addFile(e, std::string("cache"));
                        tar.finish();
                    });
        at.text = "type=local,src=" + at.dir;
        return at;
    }

    // A setup of a builder on engine with the state travelling along plan.
    travel::StateTravel::Outcome setup(FakeEngine& engine, const plan::StatePlan& plan)
    {
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", dir.path() + "/docker"}});
        engine::DockerConfig docker = engine::DockerConfig::load(env);
        travel::StateTravel travel(
            plan, engine::RegistryAuth(docker, env), "test run",
            [this](const std::string& n) { notes.push_back(n); },
            [this](const std::string& w) { warnings.push_back(w); });
        builder::BuilderSpec spec;
        spec.name = "ci";
        hoist::base::Problems problems;
        spec.opts = builder::DriverOpts::parse({}, "--driver-opt", problems);
        spec.flags = builder::BuildkitdConfig::flags("", "--buildkitd-flags", "", false, problems);
        builder::Builder b(engine, spec, [this](const std::string& n) { notes.push_back(n); });
        travel.prepare(b);
        b.setup(builder::PullPolicy::Missing, "", Poco::Timespan(5, 0));
        return travel.outcome();
    }

    void testSnapshotFillsANewVolume()
    {
        FakeEngine e;
        e.images["moby/buildkit:buildx-stable-1"].id = "sha256:buildkit";
        plan::StatePlan plan;
        plan.from = {saved(builder::Helper::ownArch())};
        const auto outcome = setup(e, plan);
        CPPUNIT_ASSERT_EQUAL(plan.from[0].text, outcome.restoredFrom);
        CPPUNIT_ASSERT(e.files.count("buildx_buildkit_ci0:/var/lib/buildkit/cache.db"));
        CPPUNIT_ASSERT(warnings.empty());
    }

    void testSnapshotOfAnotherCpuStartsCold()
    {
        FakeEngine e;
        e.images["moby/buildkit:buildx-stable-1"].id = "sha256:buildkit";
        plan::StatePlan plan;
        plan.from = {saved("s390x")};
        const auto outcome = setup(e, plan);
        CPPUNIT_ASSERT_EQUAL(std::string(""), outcome.restoredFrom);
        CPPUNIT_ASSERT(!e.files.count("buildx_buildkit_ci0:/var/lib/buildkit/cache.db"));
        // Said, then cold: the snapshot of another CPU is never unpacked here.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), warnings.size());
        CPPUNIT_ASSERT(warnings[0].find("it was made on a s390x engine") != std::string::npos);
        CPPUNIT_ASSERT(warnings[1].find("the builder starts cold") != std::string::npos);
    }

    void testKeptVolumeIsNeverReplaced()
    {
        plan::StatePlan plan;
        plan.from = {saved(builder::Helper::ownArch())};
        CPPUNIT_ASSERT(travel::sourcesToTry(plan, true).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), travel::sourcesToTry(plan, false).size());
        FakeEngine e;
        e.createVolume("buildx_buildkit_ci0_state", {});
        const auto outcome = setup(e, plan);
        CPPUNIT_ASSERT_EQUAL(std::string(""), outcome.restoredFrom);
        CPPUNIT_ASSERT(!e.files.count("buildx_buildkit_ci0:/var/lib/buildkit/cache.db"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StateTravelTest);
