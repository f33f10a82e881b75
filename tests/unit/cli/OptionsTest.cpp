// The typed options: every option of the table reaches its member through its binding, with
// how the user gave it; nothing is read by a name the table does not have.

#include "cli/Options.h"
#include "cli/BuildxCommands.h"
#include "cli/OptionParser.h"

#include "base/Error.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using namespace hoist;
using namespace hoist::cli;

class OptionsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OptionsTest);
    CPPUNIT_TEST(testEveryOptionIsBound);
    CPPUNIT_TEST(testLegacyDockerBuildFlagsAsBuildxTakesThem);
    CPPUNIT_TEST(testProgressAndDebugAsBuildxTakesThem);
    CPPUNIT_TEST(testValuesReachTheirMembersWithTheirSource);
    CPPUNIT_TEST(testOneOptionOfTwoCommandsFillsBoth);
    CPPUNIT_TEST(testUnknownNameIsALogicError);
    CPPUNIT_TEST(testBuildxFlagsComeFromTheTable);
    CPPUNIT_TEST_SUITE_END();

public:
    Options typed(std::vector<std::string> args, base::Env::Map env = {})
    {
        base::Env e(std::move(env));
        return Options::from(OptionParser(OptionTable::instance(), e).parse(args));
    }

    void testEveryOptionIsBound()
    {
        for (const auto& spec : OptionTable::instance().options())
        {
            if (spec.name == "help") // the parser's own: help is a command
                continue;
            if (spec.legacy)
            {
                // docker build's: a value goes to the option it feeds, which is bound.
                const OptionSpec* fed =
                    OptionTable::instance().findLong(spec.legacy->feeds, "build");
                if (!spec.legacy->feeds.empty() && (!fed || fed->assigns.empty()))
                    CPPUNIT_FAIL("--" + spec.name + " feeds no bound option");
                continue;
            }
            if (spec.assigns.empty() || !spec.sourceIn)
                CPPUNIT_FAIL("--" + spec.name + " is bound to no member of Options");
        }
    }

    void testLegacyDockerBuildFlagsAsBuildxTakesThem()
    {
        // -m and --cpu-shares are --resource's; --rm asks what BuildKit does anyway.
        Options o = typed({"build", "-m", "2g", "--rm", "--force-rm=false", "-c", "512",
                           "--resource", "cpuset-cpus=0-1"});
        CPPUNIT_ASSERT(
            o.build.resources.value ==
            std::vector<std::string>({"memory=2g", "cpu-shares=512", "cpuset-cpus=0-1"}));
        // What BuildKit cannot do is refused, never ignored.
        base::Env none;
        try
        {
            OptionParser(OptionTable::instance(), none)
                .parse({"build", "--squash", "--security-opt", "seccomp=unconfined", "-m", "lots"});
            CPPUNIT_FAIL("--squash accepted");
        }
        catch (const base::UsageException& e)
        {
            const std::string what = e.message();
            CPPUNIT_ASSERT(what.find("--squash is docker build's legacy flag") !=
                           std::string::npos);
            CPPUNIT_ASSERT(what.find("--security-opt is docker build's legacy flag") !=
                           std::string::npos);
            CPPUNIT_ASSERT(what.find("unknown option") == std::string::npos);
            // A bad value is named as typed.
            CPPUNIT_ASSERT(what.find("-m \"lots\" is not a size") != std::string::npos);
        }
        // --compress asks what BuildKit's session does anyway; --isolation is Windows'.
        // (typed() throws for an option the parser does not know).
        CPPUNIT_ASSERT(typed({"build", "--compress", "ctx"}).build.context.value == "ctx");
        try
        {
            OptionParser(OptionTable::instance(), none).parse({"build", "--isolation", "hyperv"});
            CPPUNIT_FAIL("--isolation accepted");
        }
        catch (const base::UsageException& e)
        {
            CPPUNIT_ASSERT(e.message().find("--isolation is docker build's legacy flag") !=
                           std::string::npos);
        }
    }

    void testProgressAndDebugAsBuildxTakesThem()
    {
        // buildx's modes, none as quiet's other name and rawjson, from the flag or
        // BUILDKIT_PROGRESS; -D is --log-level debug.
        for (const char* mode : {"rawjson", "none", "plain", "tty", "quiet", "auto"})
            CPPUNIT_ASSERT_EQUAL(std::string(mode),
                                 typed({"build", "--progress", mode}).build.progress.value);
        CPPUNIT_ASSERT_EQUAL(
            std::string("rawjson"),
            typed({"build"}, {{"BUILDKIT_PROGRESS", "rawjson"}}).build.progress.value);
        CPPUNIT_ASSERT(typed({"build", "-D"}).common.debug.value);
        CPPUNIT_ASSERT(typed({"build", "--debug"}).common.debug.value);
        base::Env none;
        try
        {
            OptionParser(OptionTable::instance(), none).parse({"build", "--progress", "fancy"});
            CPPUNIT_FAIL("--progress fancy accepted");
        }
        catch (const base::UsageException& e)
        {
            CPPUNIT_ASSERT(e.message().find("--progress") != std::string::npos);
        }
    }

    void testValuesReachTheirMembersWithTheirSource()
    {
        Options o = typed(
            {"run", "-t", "r/a:1", "--tag=r/a:2", "--push", "--bootstrap-timeout", "90s", "ctx"},
            {{"HOIST_TARGET", "prod"}, {"INPUT_NO-CACHE", "true"}});
        CPPUNIT_ASSERT(o.build.tags.value == std::vector<std::string>({"r/a:1", "r/a:2"}));
        CPPUNIT_ASSERT(o.build.tags.source.origin == Origin::Flag);
        CPPUNIT_ASSERT_EQUAL(std::string("--tag"), o.build.tags.name());
        CPPUNIT_ASSERT(o.build.push.value);
        CPPUNIT_ASSERT_EQUAL(90L, static_cast<long>(o.setup.bootstrapTimeout.value.totalSeconds()));
        CPPUNIT_ASSERT_EQUAL(std::string("prod"), o.build.target.value);
        CPPUNIT_ASSERT_EQUAL(std::string("HOIST_TARGET"), o.build.target.name());
        CPPUNIT_ASSERT(o.build.noCache.value);
        CPPUNIT_ASSERT_EQUAL(std::string("the action input no-cache"), o.build.noCache.name());
        // Defaults are typed too, and say they are.
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), o.setup.imagePull.value);
        CPPUNIT_ASSERT(!o.setup.imagePull.given());
        CPPUNIT_ASSERT(o.teardown.keepState.value);
        CPPUNIT_ASSERT_EQUAL(std::string("ctx"), o.build.context.value);
        // Every way to give an option, for hints: its flag, variable and action input.
        CPPUNIT_ASSERT_EQUAL(std::string("--ci-defaults"), o.build.ciDefaults.flag());
        CPPUNIT_ASSERT_EQUAL(std::string("HOIST_CI_DEFAULTS"), o.build.ciDefaults.source.variable);
        CPPUNIT_ASSERT_EQUAL(std::string("ci-defaults"), o.build.ciDefaults.source.input);
        CPPUNIT_ASSERT_EQUAL(std::string("buildkitd-config"), o.setup.buildkitdConfig.source.input);
        CPPUNIT_ASSERT_EQUAL(std::string(), o.build.pushByDigest.source.input);
    }

    void testOneOptionOfTwoCommandsFillsBoth()
    {
        Options merge = typed({"merge", "--tag", "r/a:1", "--digests-dir", "d"});
        CPPUNIT_ASSERT(merge.merge.tags.value == std::vector<std::string>{"r/a:1"});
        CPPUNIT_ASSERT_EQUAL(std::string("d"), merge.merge.digestsDir.value);
        Options run = typed({"run", "--platform", "linux/arm64"});
        CPPUNIT_ASSERT(run.setup.platforms.value == run.build.platforms.value);
    }

    void testUnknownNameIsALogicError()
    {
        ParsedCommand p("build");
        CPPUNIT_ASSERT_THROW(p.get("no-such-option"), std::logic_error);
        CPPUNIT_ASSERT_EQUAL(std::string(""), p.get("tag"));
    }

    void testBuildxFlagsComeFromTheTable()
    {
        Options o = typed({"run", "--driver-opt", "memory=1g", "-t", "r/a:1", "--no-cache",
                           "--progress", "plain"});
        BuildxCommands c = BuildxCommands::of(o, {});
        const std::vector<std::string> create = {
            "docker",   "buildx",           "create",       "--name",    "hoist",
            "--driver", "docker-container", "--driver-opt", "memory=1g", "--bootstrap"};
        CPPUNIT_ASSERT(c.create == create);
        const std::vector<std::string> build = {
            "docker", "buildx", "build", "--builder", "hoist", "--tag", "r/a:1", "--no-cache", "."};
        CPPUNIT_ASSERT(c.build == build); // --progress is hoist's own: not passed
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OptionsTest);
