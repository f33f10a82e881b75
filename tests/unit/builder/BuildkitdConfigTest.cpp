#include "builder/BuildkitdConfig.h"
#include "builder/BuilderStatus.h"
#include "builder/ConfigArchive.h"
#include "fakes/TempDir.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace hoist::builder;
using hoist::test::TempDir;

class BuildkitdConfigTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildkitdConfigTest);
    CPPUNIT_TEST(testFlagsAsBuildx);
    CPPUNIT_TEST(testFlagsThatDoNotSplit);
    CPPUNIT_TEST(testRewritesRegistryCertificates);
    CPPUNIT_TEST(testEntitlementInConfig);
    CPPUNIT_TEST(testPlainHttpRegistries);
    CPPUNIT_TEST(testReportsLineOfAProblem);
    CPPUNIT_TEST(testCertDirName);
    CPPUNIT_TEST(testCommandPrependsConfig);
    CPPUNIT_TEST(testArchiveLayout);
    CPPUNIT_TEST(testWorkerAndVersionParsing);
    CPPUNIT_TEST_SUITE_END();

public:
    std::vector<std::string> flags(const std::string& text, const std::string& network, bool grants)
    {
        hoist::base::Problems problems;
        auto f = BuildkitdConfig::flags(text, "--buildkitd-flags", network, grants, problems);
        CPPUNIT_ASSERT(problems.empty());
        return f;
    }

    void testFlagsAsBuildx()
    {
        // The cases of buildx's TestParseBuildkitdFlags.
        using V = std::vector<std::string>;
        const std::string nh = "--allow-insecure-entitlement=network.host";
        CPPUNIT_ASSERT(flags("", "", false) == V({nh}));
        CPPUNIT_ASSERT(flags("", "", true) == V({}));
        CPPUNIT_ASSERT(flags("", "host", true) == V({nh}));
        CPPUNIT_ASSERT(flags("--debug", "", false) == V({"--debug", nh}));
        CPPUNIT_ASSERT(flags("--allow-insecure-entitlement=security.insecure", "", false) ==
                       V({"--allow-insecure-entitlement=security.insecure"}));
        CPPUNIT_ASSERT(flags("--allow-insecure-entitlement network.host", "host", false) ==
                       V({"--allow-insecure-entitlement", "network.host"}));
        // The scan stops at the first unknown flag, as pflag does.
        CPPUNIT_ASSERT(flags("--debug --allow-insecure-entitlement=security.insecure", "", false) ==
                       V({"--debug", "--allow-insecure-entitlement=security.insecure", nh}));
        CPPUNIT_ASSERT(flags("--oci-worker-net='bridge x'", "", false) ==
                       V({"--oci-worker-net=bridge x", nh}));
    }

    void testFlagsThatDoNotSplit()
    {
        hoist::base::Problems problems;
        BuildkitdConfig::flags("--debug \"open", "--buildkitd-flags", "", false, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
    }

    void testRewritesRegistryCertificates()
    {
        TempDir d;
        d.write("ca.pem", "CA");
        d.write("k.pem", "KEY");
        d.write("c.pem", "CERT");
        std::string toml = "debug = true\n[registry.\"myreg:5000\"]\n  ca = [\"" + d.path() +
                           "/ca.pem\"]\n"
                           "  [[registry.\"myreg:5000\".keypair]]\n    key = \"" +
                           d.path() +
                           "/k.pem\"\n"
                           "    cert = '" +
                           d.path() + "/c.pem'\n";
        hoist::base::Problems problems;
        BuildkitdConfig c =
            BuildkitdConfig::fromToml(toml, "t.toml", BuildkitdConfig::localFiles(), problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("CA"), c.files().at("certs/myreg_5000/ca.pem"));
        CPPUNIT_ASSERT_EQUAL(std::string("KEY"), c.files().at("certs/myreg_5000/k.pem"));
        // hoist's own registry calls trust the CA too; the keypair is the builder's only.
        CPPUNIT_ASSERT_EQUAL(std::string("CA\n"), c.registryCas().at("myreg:5000"));
        const std::string& out = c.files().at("buildkitd.toml");
        CPPUNIT_ASSERT(out.find("  ca = [\"/etc/buildkit/certs/myreg_5000/ca.pem\"]\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(out.find("    key = \"/etc/buildkit/certs/myreg_5000/k.pem\"\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(out.find("    cert = \"/etc/buildkit/certs/myreg_5000/c.pem\"\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(out.find("debug = true\n") == 0);
    }

    void testEntitlementInConfig()
    {
        hoist::base::Problems problems;
        CPPUNIT_ASSERT(BuildkitdConfig::fromToml(
                           "insecure-entitlements = [ \"network.host\", \"security.insecure\" ]\n",
                           "t", BuildkitdConfig::localFiles(), problems)
                           .grantsNetworkHost());
        CPPUNIT_ASSERT(!BuildkitdConfig::fromToml(
                            "[worker.oci]\n  insecure-entitlements = [\"network.host\"]\n", "t",
                            BuildkitdConfig::localFiles(), problems)
                            .grantsNetworkHost());
    }

    void testPlainHttpRegistries()
    {
        hoist::base::Problems problems;
        const auto cfg = BuildkitdConfig::fromToml(
            "[registry.\"10.0.0.1:5000\"]\n  http = true\n[registry.\"tls.example\"]\n"
            "  http = false\n  insecure = true\n[registry.\"x.io\".keypair]\n",
            "t", BuildkitdConfig::localFiles(), problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT((cfg.plainHttpRegistries() == std::set<std::string>{"10.0.0.1:5000"}));
        CPPUNIT_ASSERT((cfg.insecureRegistries() == std::set<std::string>{"tls.example"}));
    }

    void testReportsLineOfAProblem()
    {
        hoist::base::Problems problems;
        BuildkitdConfig::fromToml(
            "debug = true\n[registry.\"r\"]\n  ca = [\"/nonexistent/ca.pem\"]\nbad line\n"
            "x = [\"open\n",
            "cfg.toml", BuildkitdConfig::localFiles(), problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), problems.size());
        CPPUNIT_ASSERT(problems[0].message().find(
                           "buildkitd config cfg.toml:3: cannot read the ca file") == 0);
        CPPUNIT_ASSERT(problems[1].message().find("cfg.toml:4: expected KEY = VALUE") !=
                       std::string::npos);
        CPPUNIT_ASSERT(problems[2].message().find("cfg.toml:5: unbalanced") != std::string::npos);
    }

    void testCertDirName()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("myreg_5000"), BuildkitdConfig::certDir("myreg:5000"));
        CPPUNIT_ASSERT_EQUAL(std::string("a_b.c-d"), BuildkitdConfig::certDir("a:/b.c-d"));
    }

    void testCommandPrependsConfig()
    {
        hoist::base::Problems problems;
        BuildkitdConfig none;
        CPPUNIT_ASSERT(none.command({"--debug"}) == std::vector<std::string>({"--debug"}));
        BuildkitdConfig c = BuildkitdConfig::fromToml("debug = true\n", "t",
                                                      BuildkitdConfig::localFiles(), problems);
        CPPUNIT_ASSERT(
            c.command({"--debug"}) ==
            std::vector<std::string>({"--config", "/etc/buildkit/buildkitd.toml", "--debug"}));
    }

    void testArchiveLayout()
    {
        std::ostringstream out;
        ConfigArchive::write(out, {{"buildkitd.toml", "x"},
                                   {"certs/r/ca.pem", "y"},
                                   {"provenance.d/github_actions_context.json", "{}"}});
        std::string t = out.str();
        // Directories first, sorted, then the files, sorted.
        std::vector<std::string> names;
        for (std::size_t off = 0; off + 512 <= t.size(); off += 512)
        {
            if (t[off] == 0)
                break;
            names.push_back(std::string(t.c_str() + off));
            std::size_t size = std::stoul(t.substr(off + 124, 11), nullptr, 8);
            off += (size + 511) / 512 * 512;
        }
        CPPUNIT_ASSERT(names == std::vector<std::string>(
                                    {"buildkit/", "buildkit/certs/", "buildkit/certs/r/",
                                     "buildkit/provenance.d/", "buildkit/buildkitd.toml",
                                     "buildkit/certs/r/ca.pem",
                                     "buildkit/provenance.d/github_actions_context.json"}));
        CPPUNIT_ASSERT_THROW(ConfigArchive::write(out, {{"../etc/passwd", "x"}}),
                             Poco::InvalidArgumentException);
    }

    void testWorkerAndVersionParsing()
    {
        auto p = parseWorkerPlatforms("ID                              PLATFORMS\n"
                                      "abc123   linux/amd64,linux/amd64/v2,linux/arm64\n"
                                      "def456   linux/amd64,linux/riscv64\n");
        CPPUNIT_ASSERT(p == std::vector<std::string>(
                                {"linux/amd64", "linux/amd64/v2", "linux/arm64", "linux/riscv64"}));
        CPPUNIT_ASSERT_EQUAL(
            std::string("v0.32.2"),
            parseBuildkitVersion("buildkitd github.com/moby/buildkit v0.32.2 991535e0\n"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), parseBuildkitVersion("something else"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildkitdConfigTest);
