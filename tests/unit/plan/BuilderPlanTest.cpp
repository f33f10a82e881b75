// The builder plan, table-driven: setup arguments and environment as a user gives them,
// parsed with the real option table, planned against a fake file view.

#include "plan/BuilderPlan.h"
#include "fakes/Messages.h"

#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"
#include "fakes/FakeFiles.h"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

using namespace hoist;

namespace
{

struct Row
{
    const char* what;
    std::vector<std::string> args; /// after "setup"
    base::Env::Map env;
    std::vector<std::string> problems; /// substrings, each in one problem; empty: none at all
    std::function<void(const builder::BuilderSpec&)> check;
};

test::FakeFiles files()
{
    test::FakeFiles f;
    f.file("/cfg/buildkitd.toml", "[registry.\"r:5000\"]\n  ca = [\"/cfg/ca.pem\"]\n");
    f.file("/cfg/ca.pem", "CA")
        .file("/cfg/host.toml", "insecure-entitlements = [\"network.host\"]\n");
    f.file("/home/.docker/buildx/buildkitd.default.toml", "debug = true\n");
    f.file("/gh/event.json", "{\"ref\": \"refs/heads/main\"}");
    return f;
}

const std::vector<Row>& rows()
{
    using S = const builder::BuilderSpec&;
    static const std::vector<Row> table = {
        {"defaults: buildx's image and flags, no config",
         {},
         {},
         {},
         [](S s)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit:buildx-stable-1"), s.opts.image);
             CPPUNIT_ASSERT(s.flags == std::vector<std::string>(
                                           {"--allow-insecure-entitlement=network.host"}));
             CPPUNIT_ASSERT(s.config.files().empty());
         }},
        {"driver-opts, given and from an action input",
         {},
         {{"INPUT_DRIVER-OPTS", "image=reg/bk:1\nmemory=2g"}},
         {},
         [](S s)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("reg/bk:1"), s.opts.image);
             CPPUNIT_ASSERT_EQUAL(2048LL * 1024 * 1024, s.opts.memory);
         }},
        {"a bad driver-opt names the action input",
         {},
         {{"INPUT_DRIVER-OPTS", "memory=lots"}},
         {"the action input driver-opts memory=\"lots\" is not a size"},
         nullptr},
        {"a bad driver-opt names the variable",
         {},
         {{"HOIST_DRIVER_OPT", "oops"}},
         {"HOIST_DRIVER_OPT \"oops\" is not KEY=VALUE"},
         nullptr},
        {"driver-opts the engine would take late or wrongly: a bad image, an escaping cgroup",
         {"--driver-opt", "image=UPPER/Case:bad tag", "--driver-opt", "cgroup-parent=../../escape",
          "--qemu-image", "Qemu:"},
         {},
         {"--driver-opt image=\"UPPER/Case:bad tag\" is not an image reference: the repository "
          "name Case has upper-case letters",
          "--driver-opt cgroup-parent=\"../../escape\" must stay inside the engine's cgroups",
          "--qemu-image \"Qemu:\" is not an image reference"},
         nullptr},
        {"a cgroup parent inside the engine's is taken",
         {"--driver-opt", "cgroup-parent=/ci/jobs"},
         {},
         {},
         [](S s)
         { CPPUNIT_ASSERT_EQUAL(std::string("/ci/jobs"), s.opts.cgroupParent.value_or("")); }},
        {"a config file and the certificates it names",
         {"--buildkitd-config", "/cfg/buildkitd.toml"},
         {},
         {},
         [](S s)
         { CPPUNIT_ASSERT_EQUAL(std::string("CA"), s.config.files().at("certs/r_5000/ca.pem")); }},
        {"a config that grants network.host: no flag added",
         {"--buildkitd-config", "/cfg/host.toml"},
         {},
         {},
         [](S s) { CPPUNIT_ASSERT(s.flags.empty()); }},
        {"a missing config file",
         {"--buildkitd-config", "/cfg/none.toml"},
         {},
         {"--buildkitd-config \"/cfg/none.toml\" does not exist"},
         nullptr},
        {"a config file and inline config exclude each other",
         {"--buildkitd-config", "/cfg/buildkitd.toml", "--buildkitd-config-inline", "debug = true"},
         {},
         {"--buildkitd-config and --buildkitd-config-inline exclude each other"},
         nullptr},
        {"inline config",
         {"--buildkitd-config-inline", "debug = true"},
         {},
         {},
         [](S s) {
             CPPUNIT_ASSERT_EQUAL(std::string("debug = true\n"),
                                  s.config.files().at("buildkitd.toml"));
         }},
        {"buildx's default config file",
         {},
         {{"BUILDX_CONFIG", "/home/.docker/buildx"}},
         {},
         [](S s) { CPPUNIT_ASSERT(!s.config.files().empty()); }},
        {"buildkitd flags that do not split, from the environment",
         {},
         {{"HOIST_BUILDKITD_FLAGS", "--debug \"open"}},
         {"HOIST_BUILDKITD_FLAGS \"--debug \\\"open\" does not split into words"},
         nullptr},
        {"buildkitd flags given keep the entitlement buildx adds",
         {"--buildkitd-flags", "--debug"},
         {},
         {},
         [](S s)
         {
             CPPUNIT_ASSERT(s.flags ==
                            std::vector<std::string>(
                                {"--debug", "--allow-insecure-entitlement=network.host"}));
         }},
        {"the GitHub provenance context goes in",
         {},
         {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_EVENT_NAME", "push"},
          {"GITHUB_EVENT_PATH", "/gh/event.json"},
          {"GITHUB_RUN_ID", "1"}},
         {},
         [](S s) {
             CPPUNIT_ASSERT(s.extraFiles.begin()->second.find("refs/heads/main") !=
                            std::string::npos);
         }},
        {"an event file that cannot be read",
         {},
         {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_EVENT_NAME", "push"},
          {"GITHUB_EVENT_PATH", "/gh/none.json"}},
         {"failed to read GITHUB_EVENT_PATH \"/gh/none.json\""},
         nullptr},
        {"provenance-add-gha=false leaves it out",
         {"--driver-opt", "provenance-add-gha=false"},
         {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_EVENT_NAME", "push"},
          {"GITHUB_EVENT_PATH", "/gh/event.json"}},
         {},
         [](S s) { CPPUNIT_ASSERT(s.extraFiles.empty()); }},
    };
    return table;
}

} // namespace

class BuilderPlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuilderPlanTest);
    CPPUNIT_TEST(testTable);
    CPPUNIT_TEST(testBuildxDir);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTable()
    {
        for (const auto& row : rows())
        {
            base::Env env(row.env);
            std::vector<std::string> args = {"setup"};
            args.insert(args.end(), row.args.begin(), row.args.end());
            hoist::base::Problems problems;
            const cli::Options options = cli::Options::from(
                cli::OptionParser(cli::OptionTable::instance(), env).parse(args, problems));
            builder::BuilderSpec s = plan::planBuilder(
                options.setup, {"b", plan::buildxDir(env, "/home/.docker/none"), "0.0.0-test"},
                ci::CiContext::detect(env), env, files(), problems);
            const std::string all = base::join(hoist::test::messages(problems), "\n");
            if (row.problems.empty())
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": unexpected problems: " + all,
                                       problems.empty());
            for (const auto& want : row.problems)
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": want '" + want + "' in: " + all,
                                       all.find(want) != std::string::npos);
            if (row.check)
                row.check(s);
        }
    }

    void testBuildxDir()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("/d/buildx"),
                             plan::buildxDir(base::Env(base::Env::Map{}), "/d"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("/x"),
            plan::buildxDir(base::Env(base::Env::Map{{"BUILDX_CONFIG", "/x"}}), "/d"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuilderPlanTest);
