#include "engine/RegistryAuth.h"
#include "base/Error.h"
#include "base/Redactor.h"
#include "engine/Archive.h"
#include "engine/ImageRef.h"
#include "engine/ScopedCredentials.h"
#include "fakes/TempDir.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using namespace hoist;
using namespace hoist::engine;
using hoist::test::TempDir;

namespace
{

std::string unbase64url(std::string s)
{
    for (auto& c : s)
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    std::istringstream in(s);
    Poco::Base64Decoder dec(in);
    std::string out;
    Poco::StreamCopier::copyToString(dec, out);
    return out;
}

std::string base64(const std::string& s)
{
    std::ostringstream out;
    Poco::Base64Encoder enc(out, Poco::BASE64_NO_PADDING);
    enc << s;
    enc.close();
    return out.str();
}

} // namespace

class RegistryAuthTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RegistryAuthTest);
    CPPUNIT_TEST(testHeaderIsBase64UrlWithPadding);
    CPPUNIT_TEST(testIdentityTokenReplacesPassword);
    CPPUNIT_TEST(testAuthsDecodeAndMatchUrlKeys);
    CPPUNIT_TEST(testDockerHubKey);
    CPPUNIT_TEST(testDockerAuthConfigAddsLogins);
    CPPUNIT_TEST(testAddedCredentialsWin);
    CPPUNIT_TEST(testCredentialHelperProtocol);
    CPPUNIT_TEST(testHelperNotFoundIsAnonymous);
    CPPUNIT_TEST(testMissingHelperIsAConfigError);
    CPPUNIT_TEST(testAuthsConfigForTheBuilder);
    CPPUNIT_TEST(testBrokenConfigJsonNamesTheFile);
    CPPUNIT_TEST(testImageRefs);
    CPPUNIT_TEST(testScopedLoginsAsBuildxPicksThem);
    CPPUNIT_TEST(testPathStatHeader);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override { base::Redactor::instance().clear(); }

    void testHeaderIsBase64UrlWithPadding()
    {
        Credentials c;
        c.username = "u";
        c.password = "p?>~";
        c.serverAddress = "r.example";
        std::string h = RegistryAuth::encodeHeader(c);
        CPPUNIT_ASSERT(h.find('+') == std::string::npos && h.find('/') == std::string::npos);
        CPPUNIT_ASSERT(h.find('\n') == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.size() % 4);
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"username":"u","password":"p?>~","serveraddress":"r.example"})"),
            unbase64url(h));
    }

    void testIdentityTokenReplacesPassword()
    {
        Credentials c;
        c.identityToken = "tok-123";
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"identitytoken":"tok-123"})"),
                             unbase64url(RegistryAuth::encodeHeader(c)));
    }

    void testAuthsDecodeAndMatchUrlKeys()
    {
        TempDir cfg;
        // "dXNlcjpwYTpzcw==" is user:pa:ss; the password keeps its colon.
        cfg.write("config.json",
                  R"({"auths":{"https://reg.example:5000/v2/":{"auth":"dXNlcjpwYTpzcw=="}}})");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}});
        DockerConfig config = DockerConfig::load(env);
        Credentials c = RegistryAuth(config, env).lookup("reg.example:5000");
        CPPUNIT_ASSERT_EQUAL(std::string("user"), c.username);
        CPPUNIT_ASSERT_EQUAL(std::string("pa:ss"), c.password);
        CPPUNIT_ASSERT_EQUAL(std::string("x ***"), base::Redactor::instance().redact("x pa:ss"));
    }

    void testDockerAuthConfigAddsLogins()
    {
        // GitLab's DOCKER_AUTH_CONFIG: its logins where config.json has none ("YTpi" is a:b,
        // "Yzpk" c:d).
        TempDir cfg;
        cfg.write("config.json", R"({"auths":{"one.example":{"auth":"YTpi"}}})");
        base::Env env(base::Env::Map{
            {"DOCKER_CONFIG", cfg.path()},
            {"DOCKER_AUTH_CONFIG",
             R"({"auths":{"one.example":{"auth":"Yzpk"},"two.example":{"auth":"Yzpk"}}})"}});
        DockerConfig config = DockerConfig::load(env);
        RegistryAuth auth(config, env);
        CPPUNIT_ASSERT_EQUAL(std::string("a"), auth.lookup("one.example").username);
        CPPUNIT_ASSERT_EQUAL(std::string("c"), auth.lookup("two.example").username);
        base::Env bad(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}, {"DOCKER_AUTH_CONFIG", "{"}});
        CPPUNIT_ASSERT_THROW(DockerConfig::load(bad), base::ConfigException);
        // As a GitLab File variable: the path of a file holding it.
        cfg.write("gitlab-auth", R"({"auths":{"two.example":{"auth":"Yzpk"}}})");
        base::Env file(base::Env::Map{{"DOCKER_CONFIG", cfg.path()},
                                      {"DOCKER_AUTH_CONFIG", cfg.path() + "/gitlab-auth"}});
        DockerConfig fromFile = DockerConfig::load(file);
        CPPUNIT_ASSERT_EQUAL(std::string("c"),
                             RegistryAuth(fromFile, file).lookup("two.example").username);
    }

    void testDockerHubKey()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://index.docker.io/v1/"),
                             ImageRef::parse("alpine").authKey());
        CPPUNIT_ASSERT_EQUAL(std::string("https://index.docker.io/v1/"),
                             RegistryAuth::hostOf("docker.io"));
        CPPUNIT_ASSERT_EQUAL(std::string("localhost:5000"),
                             ImageRef::parse("localhost:5000/x/y:1").authKey());
    }

    void testAddedCredentialsWin()
    {
        TempDir cfg;
        cfg.write("config.json", R"({"auths":{"registry.gitlab.com":{"auth":"YTpi"}}})");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}});
        DockerConfig config = DockerConfig::load(env);
        RegistryAuth auth(config, env);
        Credentials ci;
        ci.username = "gitlab-ci-token";
        ci.password = "job-token-value";
        auth.add("registry.gitlab.com", ci);
        CPPUNIT_ASSERT_EQUAL(std::string("gitlab-ci-token"),
                             auth.lookup("registry.gitlab.com").username);
    }

    void writeHelper(TempDir& bin, const std::string& name, const std::string& script)
    {
        bin.write("docker-credential-" + name, "#!/bin/sh\n" + script);
        Poco::File(bin.path() + "/docker-credential-" + name).setExecutable(true);
    }

    void testCredentialHelperProtocol()
    {
        TempDir cfg, bin;
        cfg.write("config.json", R"({"credsStore":"other","credHelpers":{"r.example":"fake"}})");
        // Echo the server URL read from stdin back, so the test sees what was asked.
        writeHelper(
            bin, "fake",
            "[ \"$1\" = get ] || exit 9\nread url\n"
            "printf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"%s-secret\"}' "
            "\"$url\" \"$url\"\n");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}, {"PATH", bin.path()}});
        DockerConfig config = DockerConfig::load(env);
        Credentials c = RegistryAuth(config, env).lookup("r.example");
        CPPUNIT_ASSERT_EQUAL(std::string("r.example-secret"), c.identityToken);
        CPPUNIT_ASSERT(c.password.empty());
    }

    void testHelperNotFoundIsAnonymous()
    {
        TempDir cfg, bin;
        cfg.write("config.json", R"({"credsStore":"fake"})");
        writeHelper(bin, "fake", "echo 'credentials not found in native keychain'\nexit 1\n");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}, {"PATH", bin.path()}});
        DockerConfig config = DockerConfig::load(env);
        CPPUNIT_ASSERT(RegistryAuth(config, env).lookup("r.example").empty());
    }

    void testMissingHelperIsAConfigError()
    {
        TempDir cfg, bin;
        cfg.write("config.json", R"({"credsStore":"desktop"})");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}, {"PATH", bin.path()}});
        DockerConfig config = DockerConfig::load(env);
        try
        {
            RegistryAuth(config, env).lookup("r.example");
            CPPUNIT_FAIL("expected a ConfigException");
        }
        catch (const base::ConfigException& e)
        {
            CPPUNIT_ASSERT(e.message().find("names the credential helper \"desktop\"") !=
                           std::string::npos);
            CPPUNIT_ASSERT(e.message().find("hint: install docker-credential-desktop") !=
                           std::string::npos);
        }
    }

    void testAuthsConfigForTheBuilder()
    {
        TempDir cfg;
        cfg.write("config.json",
                  R"({"auths":{"a.example":{"username":"u","password":"pw1"},"b.example":{}}})");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}});
        DockerConfig config = DockerConfig::load(env);
        std::string json =
            RegistryAuth(config, env).authsConfig({"a.example", "b.example", "c.example"});
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"auths":{"a.example":{"auth":"dTpwdzE="}}})"), json);
    }

    void testBrokenConfigJsonNamesTheFile()
    {
        TempDir cfg;
        cfg.write("config.json", "{not json");
        base::Env env(base::Env::Map{{"DOCKER_CONFIG", cfg.path()}});
        try
        {
            DockerConfig::load(env);
            CPPUNIT_FAIL("expected a ConfigException");
        }
        catch (const base::ConfigException& e)
        {
            CPPUNIT_ASSERT(e.message().find(cfg.path() + "/config.json") != std::string::npos);
        }
    }

    void testScopedLoginsAsBuildxPicksThem()
    {
        TempDir dir;
        auto login = [&](const std::string& rel, const std::string& host, const std::string& user)
        {
            Poco::File(dir.path() + "/config/" + rel).createDirectories();
            std::ofstream(dir.path() + "/config/" + rel + "/config.json")
                << "{\"auths\": {\"" << host << "\": {\"auth\": \"" << base64(user + ":pw")
                << "\"}}}";
        };
        login("reg.io", "reg.io", "host-wide");
        login("reg.io/team/app@push", "reg.io", "app-push");
        login("reg.io/team/app@pull", "reg.io", "app-pull");
        login("registry-1.docker.io@push,pull", "https://index.docker.io/v1/", "hub");
        const auto s = ScopedCredentials::load(dir.path(), base::Env(base::Env::Map{}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), s.size());
        CPPUNIT_ASSERT_EQUAL(std::string("app-push"),
                             s.find("reg.io", {"team/app"}, "push")->username);
        CPPUNIT_ASSERT_EQUAL(std::string("app-pull"),
                             s.find("reg.io", {"team/app"}, "pull")->username);
        CPPUNIT_ASSERT_EQUAL(std::string("host-wide"),
                             s.find("reg.io", {"team/other"}, "push")->username);
        CPPUNIT_ASSERT_EQUAL(std::string("hub"),
                             s.find("docker.io", {"library/x"}, "push")->username);
        CPPUNIT_ASSERT(!s.find("other.io", {"team/app"}, "push"));
    }

    void testImageRefs()
    {
        ImageRef r = ImageRef::parse("moby/buildkit:buildx-stable-1");
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io"), r.registry);
        CPPUNIT_ASSERT_EQUAL(std::string("moby/buildkit"), r.name);
        CPPUNIT_ASSERT_EQUAL(std::string("buildx-stable-1"), r.tag);
        r = ImageRef::parse("localhost:5000/app");
        CPPUNIT_ASSERT_EQUAL(std::string("latest"), r.tag);
        CPPUNIT_ASSERT_EQUAL(std::string("localhost:5000"), r.registry);
        CPPUNIT_ASSERT_EQUAL(std::string("app"), r.repository);
        r = ImageRef::parse("busybox@sha256:abc");
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.tag);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:abc"), r.digest);
        CPPUNIT_ASSERT_EQUAL(std::string("library/busybox"), r.repository);
    }

    void testPathStatHeader()
    {
        // {"name":"etc","size":4096,"mode":2147484141,"mtime":"…","linkTarget":""}: a directory.
        PathStat s =
            Archive::decodeStat("eyJuYW1lIjoiZXRjIiwic2l6ZSI6NDA5NiwibW9kZSI6MjE0NzQ4NDE0MSwibXRpbW"
                                "UiOiIyMDI2LTAxLTAxVDAwOjAwOjAwWiIsImxpbmtUYXJnZXQiOiIifQ==");
        CPPUNIT_ASSERT_EQUAL(std::string("etc"), s.name);
        CPPUNIT_ASSERT(s.isDir);
        CPPUNIT_ASSERT_EQUAL(4096LL, s.size);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RegistryAuthTest);
