// The remote builder's plan, table-driven: setup arguments and action inputs as a user gives
// them, parsed with the real option table, planned against a fake file view.

#include "plan/RemotePlan.h"
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
    std::function<void(const plan::RemotePlan&)> check;
};

test::FakeFiles files()
{
    test::FakeFiles f;
    f.file("/c/ca.pem", "CA").file("/c/cert.pem", "CERT").file("/work/key.pem", "KEY");
    return f;
}

const std::vector<Row>& rows()
{
    using P = const plan::RemotePlan&;
    // The builder's name comes from --builder; "b" in every row.
    const std::vector<std::string> remote = {"--driver", "remote"};
    auto with = [remote](std::vector<std::string> more)
    {
        std::vector<std::string> a = remote;
        a.insert(a.end(), more.begin(), more.end());
        return a;
    };
    static const std::vector<Row> table = {
        {"mutual TLS: paths made absolute, contents read, server name the endpoint's host",
         with({"--endpoint", "tcp://10.1.2.3:1234", "--driver-opt",
               "cacert=/c/ca.pem,cert=/c/cert.pem,key=key.pem"}),
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("/work/key.pem"), p.spec.key);
             CPPUNIT_ASSERT_EQUAL(std::string("KEY"), p.tls.key);
             CPPUNIT_ASSERT_EQUAL(std::string("CA"), p.tls.ca);
             CPPUNIT_ASSERT_EQUAL(std::string("10.1.2.3"), p.spec.tlsServerName());
             CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit:buildx-stable-1"), p.spec.clientImage);
         }},
        {"setup-buildx-action's inputs, servername and hoist's image",
         {},
         {{"INPUT_DRIVER", "remote"},
          {"INPUT_ENDPOINT", "unix:///run/bk.sock"},
          {"INPUT_DRIVER-OPTS", "cacert=/c/ca.pem\nservername=bk.internal\nimage=reg/bk:1"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("unix:///run/bk.sock"), p.spec.endpoint);
             CPPUNIT_ASSERT_EQUAL(std::string("bk.internal"), p.spec.tlsServerName());
             CPPUNIT_ASSERT_EQUAL(std::string("reg/bk:1"), p.spec.clientImage);
             CPPUNIT_ASSERT(p.spec.driverOpts().count("image") == 0);
         }},
        {"plain TCP, no TLS",
         with({"--endpoint", "tcp://bk:1234"}),
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(!p.spec.tls());
             CPPUNIT_ASSERT(p.spec.driverOpts().empty());
         }},
        {"no endpoint", remote, {}, {"--driver remote needs --endpoint"}, {}},
        {"endpoints that are not BuildKit's",
         with({"--endpoint", "http://bk:1234"}),
         {},
         {"\"http://bk:1234\" is not a BuildKit address"},
         {}},
        {"a tcp endpoint without a port",
         with({"--endpoint", "tcp://bk"}),
         {},
         {"is not a BuildKit address"},
         {}},
        {"cert without key, no CA, another driver's option, a file that is not there",
         with({"--endpoint", "tcp://bk:1", "--driver-opt",
               "cert=/c/cert.pem,memory=1g,servername=x", "--driver-opt", "cacert=/nope"}),
         {},
         {"cert and key go together", "\"memory\" is not an option of the remote driver",
          "cacert=/nope"},
         {}},
        {"a key and cert without a CA",
         with({"--endpoint", "tcp://bk:1", "--driver-opt", "cert=/c/cert.pem,key=key.pem"}),
         {},
         {"TLS needs cacert"},
         {}},
        {"options of a BuildKit container hoist runs, and default-load's form",
         with({"--endpoint", "tcp://bk:1", "--buildkitd-flags", "--debug", "--driver-opt",
               "default-load=yes"}),
         {},
         {"--buildkitd-flags configures a BuildKit container hoist runs",
          "default-load=yes must be true or false"},
         {}},
        {"default-load in Go's boolean forms",
         with({"--endpoint", "tcp://bk:1", "--driver-opt", "default-load=1"}),
         {},
         {},
         [](P p)
         { CPPUNIT_ASSERT_EQUAL(std::string("1"), p.spec.driverOpts().at("default-load")); }},
        {"a state volume's, the emulators' and the boot's options",
         with({"--endpoint", "tcp://bk:1", "--state-from", "type=local,src=/s", "--qemu", "off",
               "--platform", "linux/arm64", "--bootstrap-timeout", "5s"}),
         {},
         {"--state-from acts on a docker-container builder's state volume",
          "--qemu registers emulators on the local engine", "--platform registers emulators",
          "--bootstrap-timeout waits for a BuildKit container hoist starts"},
         {}},
    };
    return table;
}

} // namespace

class RemotePlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RemotePlanTest);
    CPPUNIT_TEST(testTable);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTable()
    {
        for (const auto& row : rows())
        {
            base::Env env(row.env);
            std::vector<std::string> args = {"setup", "--builder", "b"};
            args.insert(args.end(), row.args.begin(), row.args.end());
            hoist::base::Problems problems;
            const cli::Options options = cli::Options::from(
                cli::OptionParser(cli::OptionTable::instance(), env).parse(args, problems));
            const plan::RemotePlan p = plan::planRemote(options, "session", files(), problems);
            const std::string all = base::join(hoist::test::messages(problems), "\n");
            if (row.problems.empty())
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": unexpected problems: " + all,
                                       problems.empty());
            for (const auto& want : row.problems)
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": want '" + want + "' in: " + all,
                                       all.find(want) != std::string::npos);
            if (row.check)
                row.check(p);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RemotePlanTest);
