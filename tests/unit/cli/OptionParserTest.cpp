#include "cli/OptionParser.h"
#include "base/Error.h"
#include "base/Strings.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::cli;

class OptionParserTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OptionParserTest);
    CPPUNIT_TEST(testNoArgumentsIsHelp);
    CPPUNIT_TEST(testVersionFlagAloneIsVersion);
    CPPUNIT_TEST(testLongOptionBothForms);
    CPPUNIT_TEST(testAliasSetsTheSameOption);
    CPPUNIT_TEST(testLastSingleValueWins);
    CPPUNIT_TEST(testFlagValues);
    CPPUNIT_TEST(testEnvironmentFillsUnsetOptions);
    CPPUNIT_TEST(testFlagBeatsEnvironment);
    CPPUNIT_TEST(testDefaultHasDefaultOrigin);
    CPPUNIT_TEST(testUnknownCommandSuggests);
    CPPUNIT_TEST(testUnknownOptionSuggests);
    CPPUNIT_TEST(testAllProblemsReportedAtOnce);
    CPPUNIT_TEST(testBadEnvironmentValueNamesTheVariable);
    CPPUNIT_TEST(testMissingValue);
    CPPUNIT_TEST(testOptionOfAnotherCommand);
    CPPUNIT_TEST(testUnexpectedArgument);
    CPPUNIT_TEST(testHelpWinsOverProblems);
    CPPUNIT_TEST(testMisspeltVariableWarns);
    CPPUNIT_TEST(testDoubleDashEndsOptions);
    CPPUNIT_TEST(testGitHubActionInputs);
    CPPUNIT_TEST(testFilePathsCheckedUpFront);
    CPPUNIT_TEST(testWithoutOptionsAndPositionals);
    CPPUNIT_TEST(testActionInputsHoistCannotHonourAreRefused);
    CPPUNIT_TEST(testHarmlessValuesOfRefusedInputsPass);
    CPPUNIT_TEST(testUseInput);
    CPPUNIT_TEST(testDockerVariablesComeLast);
    CPPUNIT_TEST(testArgsFromAVariable);
    CPPUNIT_TEST(testV3InputNames);
    CPPUNIT_TEST_SUITE_END();

public:
    ParsedCommand parse(std::vector<std::string> args, base::Env::Map env = {})
    {
        base::Env e(std::move(env));
        return OptionParser(OptionTable::instance(), e).parse(args);
    }

    std::string problems(std::vector<std::string> args, base::Env::Map env = {})
    {
        try
        {
            parse(std::move(args), std::move(env));
        }
        catch (const base::UsageException& e)
        {
            return e.message();
        }
        CPPUNIT_FAIL("expected a UsageException");
        return "";
    }

    void testNoArgumentsIsHelp() { CPPUNIT_ASSERT_EQUAL(std::string("help"), parse({}).command()); }

    void testVersionFlagAloneIsVersion()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("version"), parse({"--version"}).command());
    }

    void testLongOptionBothForms()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("ci"), parse({"version", "--builder=ci"}).get("builder"));
        CPPUNIT_ASSERT_EQUAL(std::string("ci"),
                             parse({"version", "--builder", "ci"}).get("builder"));
        CPPUNIT_ASSERT_EQUAL(std::string("ci"),
                             parse({"--builder", "ci", "version"}).get("builder"));
    }

    void testAliasSetsTheSameOption()
    {
        ParsedCommand p = parse({"version", "--name", "x1"});
        CPPUNIT_ASSERT_EQUAL(std::string("x1"), p.get("builder"));
        CPPUNIT_ASSERT_EQUAL(std::string("--name"), p.values().at("builder").source);
        // setup's --pull is --image-pull's alias; in run, build's own --pull wins.
        CPPUNIT_ASSERT_EQUAL(std::string("never"),
                             parse({"setup", "--pull", "never"}).get("image-pull"));
        ParsedCommand run = parse({"run", "--pull", "/tmp"});
        CPPUNIT_ASSERT(run.getBool("pull"));
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), run.get("image-pull"));
    }

    void testLastSingleValueWins()
    {
        ParsedCommand p = parse({"version", "--builder", "a", "--builder", "b"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.getList("builder").size());
        CPPUNIT_ASSERT_EQUAL(std::string("b"), p.get("builder"));
    }

    void testFlagValues()
    {
        CPPUNIT_ASSERT(parse({"version", "--json"}).getBool("json"));
        CPPUNIT_ASSERT(!parse({"version", "--json=false"}).getBool("json"));
        CPPUNIT_ASSERT(!parse({"version"}).getBool("json"));
        std::string p = problems({"version", "--json=perhaps"});
        CPPUNIT_ASSERT(p.find("--json=\"perhaps\" must be true or false") != std::string::npos);
    }

    void testEnvironmentFillsUnsetOptions()
    {
        ParsedCommand p = parse({"version"}, {{"HOIST_BUILDER", "from-env"}, {"HOIST_JSON", "1"}});
        CPPUNIT_ASSERT_EQUAL(std::string("from-env"), p.get("builder"));
        CPPUNIT_ASSERT(p.origin("builder") == Origin::Env);
        CPPUNIT_ASSERT_EQUAL(std::string("HOIST_BUILDER"), p.values().at("builder").source);
        CPPUNIT_ASSERT(p.getBool("json"));
    }

    void testFlagBeatsEnvironment()
    {
        ParsedCommand p = parse({"version", "--builder", "flag"}, {{"HOIST_BUILDER", "env"}});
        CPPUNIT_ASSERT_EQUAL(std::string("flag"), p.get("builder"));
        CPPUNIT_ASSERT(p.origin("builder") == Origin::Flag);
    }

    void testDefaultHasDefaultOrigin()
    {
        ParsedCommand p = parse({"version"});
        CPPUNIT_ASSERT_EQUAL(std::string("hoist"), p.get("builder"));
        CPPUNIT_ASSERT(p.origin("builder") == Origin::Default);
        CPPUNIT_ASSERT_EQUAL(std::string("warning"), p.get("log-level"));
    }

    void testUnknownCommandSuggests()
    {
        std::string p = problems({"verison"});
        CPPUNIT_ASSERT(p.find("unknown command \"verison\"; did you mean \"version\"?") !=
                       std::string::npos);
    }

    void testUnknownOptionSuggests()
    {
        std::string p = problems({"version", "--buildr", "x"});
        CPPUNIT_ASSERT(p.find("unknown option \"--buildr\" for 'hoist version'; did you mean "
                              "\"--builder\"?") != std::string::npos);
    }

    void testAllProblemsReportedAtOnce()
    {
        std::string p = problems({"version", "--builder", "-bad", "--log-level", "loud", "--nope"});
        CPPUNIT_ASSERT(p.find("--builder \"-bad\" is not a valid builder name") !=
                       std::string::npos);
        CPPUNIT_ASSERT(p.find("--log-level \"loud\" must be one of debug, info, warning, error") !=
                       std::string::npos);
        CPPUNIT_ASSERT(p.find("unknown option \"--nope\"") != std::string::npos);
        CPPUNIT_ASSERT(p.find("see 'hoist version --help'") != std::string::npos);
    }

    void testBadEnvironmentValueNamesTheVariable()
    {
        std::string p = problems({"version"}, {{"HOIST_LOG_LEVEL", "chatty"}});
        CPPUNIT_ASSERT(p.find("HOIST_LOG_LEVEL=\"chatty\" must be one of") != std::string::npos);
    }

    void testMissingValue()
    {
        std::string p = problems({"version", "--builder"});
        CPPUNIT_ASSERT(p.find("--builder needs a value (--builder NAME)") != std::string::npos);
    }

    void testOptionOfAnotherCommand()
    {
        std::string p = problems({"help", "--json"});
        CPPUNIT_ASSERT(p.find("--json is not an option of 'hoist help' (it is one of: version") !=
                       std::string::npos);
    }

    void testUnexpectedArgument()
    {
        std::string p = problems({"version", "extra"});
        CPPUNIT_ASSERT(p.find("'hoist version' takes no arguments; unexpected: \"extra\"") !=
                       std::string::npos);
    }

    void testHelpWinsOverProblems()
    {
        ParsedCommand p = parse({"version", "--nope", "--help"});
        CPPUNIT_ASSERT_EQUAL(std::string("help"), p.command());
        CPPUNIT_ASSERT_EQUAL(std::string("version"), p.positionals().at(0));
        CPPUNIT_ASSERT_EQUAL(std::string("help"), parse({"-h"}).command());
    }

    void testMisspeltVariableWarns()
    {
        ParsedCommand p = parse({"version"}, {{"HOIST_BUILDR", "x"}, {"HOIST_TEST_REGISTRY", "y"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.warnings().size());
        CPPUNIT_ASSERT(p.warnings()[0].find("did you mean HOIST_BUILDER?") != std::string::npos);
    }

    void testGitHubActionInputs()
    {
        ParsedCommand p =
            parse({"build"}, {{"INPUT_PLATFORMS", "linux/amd64, linux/arm64\n"},
                              {"INPUT_TAGS", "r/a:1\nr/a:2,r/a:3"},
                              {"INPUT_SECRET-ENVS", "tok=MY_TOKEN,gh=GH"},
                              {"INPUT_ADD-HOSTS", "a:10.0.0.1,b:10.0.0.2\nc:10.0.0.3"},
                              {"INPUT_SECRET-FILES", "npm=/run/npmrc"},
                              {"INPUT_PUSH", "true"},
                              {"INPUT_LOAD", ""},
                              {"INPUT_CONTEXT", "./app"},
                              {"INPUT_TARGET", "prod"},
                              {"HOIST_TARGET", "dev"}});
        CPPUNIT_ASSERT(p.getList("platform") ==
                       std::vector<std::string>({"linux/amd64", "linux/arm64"}));
        CPPUNIT_ASSERT(p.getList("tag") == std::vector<std::string>({"r/a:1", "r/a:2", "r/a:3"}));
        CPPUNIT_ASSERT(p.getList("secret") ==
                       std::vector<std::string>(
                           {"id=tok,env=MY_TOKEN", "id=gh,env=GH", "id=npm,src=/run/npmrc"}));
        // As build-push-action reads them: commas separate add-hosts and secret-envs too.
        CPPUNIT_ASSERT(p.getList("add-host") ==
                       std::vector<std::string>({"a:10.0.0.1", "b:10.0.0.2", "c:10.0.0.3"}));
        CPPUNIT_ASSERT(p.getBool("push"));
        CPPUNIT_ASSERT(!p.getBool("load")); // an empty input is no input
        CPPUNIT_ASSERT(p.origin("push") == Origin::Input);
        CPPUNIT_ASSERT_EQUAL(std::string("INPUT_PUSH"), p.values().at("push").source);
        CPPUNIT_ASSERT_EQUAL(std::string("./app"), p.positionals().at(0));
        CPPUNIT_ASSERT_EQUAL(std::string("dev"), p.get("target")); // HOIST_* wins over the input
        std::string bad = problems({"build"}, {{"INPUT_NO-CACHE", "maybe"}});
        CPPUNIT_ASSERT(bad.find("the action input no-cache=\"maybe\" must be true or false") !=
                       std::string::npos);
    }

    void testFilePathsCheckedUpFront()
    {
        std::string p = problems({"build", "--result-file", "/nonexistent-dir/r.json",
                                  "--dotenv-file", "/nonexistent-dir/b.env", "--ci-env",
                                  "/nonexistent-dir/ci.json", "--iidfile", "/tmp"});
        CPPUNIT_ASSERT(p.find("--result-file \"/nonexistent-dir/r.json\" is in a directory that "
                              "does not exist: create \"/nonexistent-dir/\" first") !=
                       std::string::npos);
        CPPUNIT_ASSERT(p.find("--dotenv-file \"/nonexistent-dir/b.env\" is in a directory") !=
                       std::string::npos);
        CPPUNIT_ASSERT(p.find("--ci-env \"/nonexistent-dir/ci.json\" does not exist") !=
                       std::string::npos);
        CPPUNIT_ASSERT(p.find("--iidfile \"/tmp\" is a directory") != std::string::npos);
        // A file that does not exist yet in an existing directory is fine.
        CPPUNIT_ASSERT_EQUAL(
            std::string("/tmp/hoist-unit-new.json"),
            parse({"build", "--result-file", "/tmp/hoist-unit-new.json"}).get("result-file"));
    }

    void testWithoutOptionsAndPositionals()
    {
        base::Env env;
        OptionParser parser(OptionTable::instance(), env);
        const std::vector<std::string> args = {
            "build", "--result-file", "r.json",      "-t",    "a:1",
            "ctx",   "--push",        "--iidfile=i", "--tag", "b:2"};
        CPPUNIT_ASSERT_EQUAL(
            std::string("build -t a:1 ctx --push --tag b:2"),
            base::join(parser.without(args, {"result-file", "iidfile"}, false), " "));
        CPPUNIT_ASSERT_EQUAL(std::string("build --result-file r.json -t a:1 --push --iidfile=i "
                                         "--tag b:2"),
                             base::join(parser.without(args, {}, true), " "));
    }

    void testDoubleDashEndsOptions()
    {
        ParsedCommand p = parse({"help", "--", "--weird"});
        CPPUNIT_ASSERT_EQUAL(std::string("--weird"), p.positionals().at(0));
    }

    void testActionInputsHoistCannotHonourAreRefused()
    {
        // Every build-push-action input has an option now.
        parse({"build"}, {{"INPUT_SSH", "default"}, {"INPUT_SECRETS", "TOKEN=abc"}});
        const std::string setup = problems({"setup"}, {{"INPUT_DRIVER", "kubernetes"},
                                                       {"INPUT_VERSION", "latest"},
                                                       {"INPUT_ENDPOINT", "tcp://x:2376"},
                                                       {"INPUT_APPEND", "- name: x"}});
        for (const char* name : {"driver=", "version=", "append="})
            CPPUNIT_ASSERT_MESSAGE(name, setup.find(std::string("the action input ") + name) !=
                                             std::string::npos);
        // endpoint is the remote driver's: the builder's plan refuses it for docker-container.
        CPPUNIT_ASSERT(setup.find("the action input endpoint=") == std::string::npos);
        // run and plan check both actions' inputs, so nothing is made before a refusal.
        const std::string run = problems({"run"}, {{"INPUT_SSH", "x"}, {"INPUT_DRIVER", "k8s"}});
        CPPUNIT_ASSERT(run.find("ssh=") == std::string::npos);
        CPPUNIT_ASSERT(run.find("driver=") != std::string::npos);
    }

    void testHarmlessValuesOfRefusedInputsPass()
    {
        parse({"setup"}, {{"INPUT_DRIVER", "docker-container"},
                          {"INPUT_VERSION", ""},
                          {"INPUT_ENDPOINT", "  "}});
        parse({"build"}, {{"INPUT_SSH", ""}, {"INPUT_SECRETS", ""}});
        // teardown (the post step) does not look at them.
        parse({"teardown"}, {{"INPUT_SSH", "default"}});
    }

    void testUseInput()
    {
        CPPUNIT_ASSERT(parse({"setup"}, {{"INPUT_USE", "true"}}).getBool("use"));
        CPPUNIT_ASSERT(!parse({"setup"}, {{"INPUT_USE", "false"}}).getBool("use"));
        CPPUNIT_ASSERT(!parse({"setup"}).getBool("use"));
        CPPUNIT_ASSERT(parse({"setup", "--use"}).getBool("use"));
    }

    void testArgsFromAVariable()
    {
        // Split as a shell splits words, nothing expanded or run: $(…), $VAR and ; stay text.
        const base::Env::Map env = {
            {"EXTRA", "--label 'a=b c' --build-arg 'X=$(touch /tmp/x);y' --target $HOME"}};
        ParsedCommand p = parse({"build", "--args-from", "EXTRA", "ctx"}, env);
        CPPUNIT_ASSERT((p.getList("label") == std::vector<std::string>{"a=b c"}));
        CPPUNIT_ASSERT((p.getList("build-arg") == std::vector<std::string>{"X=$(touch /tmp/x);y"}));
        CPPUNIT_ASSERT_EQUAL(std::string("$HOME"), p.get("target"));
        CPPUNIT_ASSERT((p.positionals() == std::vector<std::string>{"ctx"}));
        CPPUNIT_ASSERT_EQUAL(std::string("a=b c"),
                             parse({"build", "--args-from=EXTRA", "ctx"}, env).getList("label")[0]);
        // HOIST_ARGS_FROM names the variable too, its words after the other options.
        p = parse({"build", "ctx"}, {{"HOIST_ARGS_FROM", "MORE"}, {"MORE", "--target 'pro d'"}});
        CPPUNIT_ASSERT_EQUAL(std::string("pro d"), p.get("target"));
        CPPUNIT_ASSERT(problems({"build", "--args-from", "BAD"}, {{"BAD", "--label 'open"}})
                           .find("--args-from BAD: BAD has an unclosed quote") !=
                       std::string::npos);
    }

    void testDockerVariablesComeLast()
    {
        // As buildx reads them: BUILDX_BUILDER for --builder, BUILDKIT_PROGRESS for an auto
        // progress; hoist's own variables, inputs and flags win; an empty one is unset.
        ParsedCommand p =
            parse({"build"}, {{"BUILDX_BUILDER", "bx"}, {"BUILDKIT_PROGRESS", "plain"}});
        CPPUNIT_ASSERT_EQUAL(std::string("bx"), p.get("builder"));
        CPPUNIT_ASSERT(p.origin("builder") == Origin::Env);
        CPPUNIT_ASSERT_EQUAL(std::string("plain"), p.get("progress"));
        p = parse(
            {"build", "--progress", "quiet"},
            {{"BUILDX_BUILDER", "bx"}, {"HOIST_BUILDER", "h"}, {"BUILDKIT_PROGRESS", "plain"}});
        CPPUNIT_ASSERT_EQUAL(std::string("h"), p.get("builder"));
        CPPUNIT_ASSERT_EQUAL(std::string("quiet"), p.get("progress"));
        p = parse({"build"}, {{"BUILDX_BUILDER", ""}});
        CPPUNIT_ASSERT(p.origin("builder") == Origin::Default);
        CPPUNIT_ASSERT(
            problems({"build"}, {{"BUILDKIT_PROGRESS", "fancy"}}).find("BUILDKIT_PROGRESS") !=
            std::string::npos);
    }

    void testV3InputNames()
    {
        // setup-buildx-action v3's config and config-inline; buildkitd-config* wins over them.
        CPPUNIT_ASSERT_EQUAL(
            std::string("/etc/hosts"),
            parse({"setup"}, {{"INPUT_CONFIG", "/etc/hosts"}}).get("buildkitd-config"));
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/passwd"),
                             parse({"setup"}, {{"INPUT_CONFIG", "/etc/hosts"},
                                               {"INPUT_BUILDKITD-CONFIG", "/etc/passwd"}})
                                 .get("buildkitd-config"));
        CPPUNIT_ASSERT_EQUAL(std::string("debug = true"),
                             parse({"setup"}, {{"INPUT_CONFIG-INLINE", "debug = true"}})
                                 .get("buildkitd-config-inline"));
        CPPUNIT_ASSERT(parse({"setup"}, {{"INPUT_INSTALL", "true"}}).getBool("install"));
        CPPUNIT_ASSERT(!parse({"setup"}, {{"INPUT_INSTALL", "false"}}).getBool("install"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OptionParserTest);
