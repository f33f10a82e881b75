#include "buildrun/BuildctlArgs.h"
#include "base/Redactor.h"
#include "builder/MemoryFiles.h"
#include "buildrun/Progress.h"
#include <Poco/Base64Decoder.h>

#include "base/Strings.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include <sstream>

using namespace hoist;
using namespace hoist::buildrun;

class BuildctlArgsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildctlArgsTest);
    CPPUNIT_TEST(testMinimal);
    CPPUNIT_TEST(testInputsInTheirOwnDirectory);
    CPPUNIT_TEST(testEverything);
    CPPUNIT_TEST(testEachDirectoryHasItsOwnSyncKey);
    CPPUNIT_TEST(testSecretsOnlyInTheEnvironment);
    CPPUNIT_TEST(testMemoryFilesFraming);
    CPPUNIT_TEST(testRunOptionsAsBuildxSendsThem);
    CPPUNIT_TEST(testCsvQuoting);
    CPPUNIT_TEST(testProgressMergesVertexes);
    CPPUNIT_TEST(testProgressRawLinesComeFirstWithSecretsRedacted);
    CPPUNIT_TEST(testProgressLogsAcrossChunks);
    CPPUNIT_TEST(testProgressKeepsALastLineWithoutNewline);
    CPPUNIT_TEST(testProgressTakesTheHelpersReportedFiles);
    CPPUNIT_TEST_SUITE_END();

public:
    std::string joined(const BuildRequest& r)
    {
        return base::join(BuildctlArgs::argv(r, "/w"), " ");
    }

    void testMinimal()
    {
        BuildRequest r;
        r.contextDir = r.dockerfileDir = "/src";
        r.dockerfileName = "Dockerfile";
        CPPUNIT_ASSERT_EQUAL(
            std::string("buildctl build --progress rawjson --frontend dockerfile.v0 --local "
                        "context=/w/context --source-policy-file /w/source-policy.json --local "
                        "dockerfile=/w/dockerfile --opt filename=Dockerfile "
                        "--metadata-file /w/metadata.json --ref-file /w/ref"),
            joined(r));
    }

    void testInputsInTheirOwnDirectory()
    {
        BuildRequest r;
        r.contextDir = r.dockerfileDir = "/src";
        r.dockerfileName = "Dockerfile";
        r.outputs = {Output{OutputType::Local, {}, "/out"}};
        CPPUNIT_ASSERT_EQUAL(
            std::string("buildctl build --progress rawjson --frontend dockerfile.v0 --local "
                        "context=/m/context --source-policy-file /w/source-policy.json --local "
                        "dockerfile=/m/dockerfile --opt filename=Dockerfile "
                        "--output type=local,dest=/w/out-0 --metadata-file /w/metadata.json "
                        "--ref-file /w/ref"),
            base::join(BuildctlArgs::argv(r, "/w", SecretPassing::MemoryFiles, "/m"), " "));
        CPPUNIT_ASSERT_EQUAL(std::string("/w/metadata.json"), BuildctlArgs::metadataFile("/w"));
    }

    void testEverything()
    {
        BuildRequest r;
        r.contextDir = "/src";
        r.dockerfileDir = "/elsewhere";
        r.dockerfileName = "Build.dockerfile";
        r.target = "prod";
        r.platforms = {"linux/amd64", "linux/arm64"};
        r.buildArgs = {{"A", "1=2"}};
        r.labels = {{"l", "v"}};
        r.noCache = true;
        r.pull = true;
        r.addHosts = {{"db", "10.0.0.2"}};
        r.network = "host";
        r.namedContexts = {{"base", "docker-image://alpine"}, {"assets", "/a"}};
        r.provenance = "mode=max";
        r.sbom = "";
        r.outputs = {{OutputType::Image, {{"name", "r/a:1,r/a:2"}, {"push", "true"}}, ""},
                     {OutputType::Docker, {{"name", "x"}}, ""},
                     {OutputType::Local, {}, "/host/out"}};
        r.cacheFrom = {{CacheType::Registry, {{"ref", "r/c"}}, ""},
                       {CacheType::Local, {}, "/host/cache"}};
        r.cacheTo = {{CacheType::Inline, {}, ""}};
        std::string a = joined(r);
        for (const char* want : {"--local dockerfile=/w/dockerfile",
                                 "--opt filename=Build.dockerfile",
                                 "--opt target=prod",
                                 "--opt platform=linux/amd64,linux/arm64",
                                 "--opt build-arg:A=1=2",
                                 "--opt label:l=v",
                                 "--opt no-cache=",
                                 "--opt image-resolve-mode=pull",
                                 "--opt add-hosts=db=10.0.0.2",
                                 "--opt force-network-mode=host",
                                 "--allow network.host",
                                 "--opt context:base=docker-image://alpine",
                                 "--opt context:assets=local:ctx1",
                                 "--local ctx1=/w/ctx1",
                                 "--opt sharedkey:localdir:assets=hoist-",
                                 "--opt attest:provenance=mode=max",
                                 "--opt attest:sbom=",
                                 "--output type=image,\"name=r/a:1,r/a:2\",push=true",
                                 "--output type=docker,name=x,dest=-",
                                 "--output type=local,dest=/w/out-2",
                                 "--import-cache type=registry,ref=r/c",
                                 "--import-cache type=local,src=/w/cache-from-1",
                                 "--export-cache type=inline"})
        {
            if (a.find(want) == std::string::npos)
                CPPUNIT_FAIL(std::string("missing ") + want + " in " + a);
        }
    }

    void testEachDirectoryHasItsOwnSyncKey()
    {
        // BuildKit reuses its copy of a local directory by key and sends only files whose size
        // and mtime differ: two directories (or two machines' same path) must not share one.
        const std::string key = BuildctlArgs::syncKey("0123456789abcdef", "/src/a");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6 + 32), key.size());
        CPPUNIT_ASSERT_EQUAL(0, key.compare(0, 6, "hoist-"));
        CPPUNIT_ASSERT_EQUAL(key, BuildctlArgs::syncKey("0123456789abcdef", "/src/a"));
        CPPUNIT_ASSERT(key != BuildctlArgs::syncKey("0123456789abcdef", "/src/b"));
        CPPUNIT_ASSERT(key != BuildctlArgs::syncKey("fedcba9876543210", "/src/a"));

        BuildRequest r;
        r.contextDir = "/src/a";
        r.nodeId = "0123456789abcdef";
        r.namedContexts = {{"assets", "/src/b"}};
        auto policy = Poco::JSON::Parser()
                          .parse(BuildctlArgs::sourcePolicy(r))
                          .extract<Poco::JSON::Object::Ptr>();
        auto rules = policy->getArray("rules");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), rules->size());
        auto rule = rules->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("CONVERT"), rule->getValue<std::string>("action"));
        auto selector = rule->getObject("selector");
        CPPUNIT_ASSERT_EQUAL(std::string("local://context"),
                             selector->getValue<std::string>("identifier"));
        auto constraint = selector->getArray("constraints")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("local.sharedkeyhint"),
                             constraint->getValue<std::string>("key"));
        CPPUNIT_ASSERT_EQUAL(std::string("context"), constraint->getValue<std::string>("value"));
        CPPUNIT_ASSERT_EQUAL(std::string("EQUAL"), constraint->getValue<std::string>("condition"));
        CPPUNIT_ASSERT_EQUAL("context:" + key,
                             rule->getObject("updates")->getObject("attrs")->getValue<std::string>(
                                 "local.sharedkeyhint"));
        const std::string a = joined(r);
        CPPUNIT_ASSERT(a.find("--opt sharedkey:localdir:assets=" +
                              BuildctlArgs::syncKey("0123456789abcdef", "/src/b")) !=
                       std::string::npos);

        // Files with whole-second mtimes: their content is part of the key, in the policy and
        // for named contexts alike (the sync would miss a same-size rewrite of one).
        r.wholeSecondDigests = {{"/src/a", std::string(64, 'c')}, {"/src/b", std::string(64, 'd')}};
        const std::string keyed = BuildctlArgs::syncKey("0123456789abcdef", "/src/a", "cccc");
        CPPUNIT_ASSERT_EQUAL(key + "-cccc", keyed);
        CPPUNIT_ASSERT(BuildctlArgs::sourcePolicy(r).find(key + "-cccccccccccccccc\"") !=
                       std::string::npos);
        CPPUNIT_ASSERT(joined(r).find("sharedkey:localdir:assets=" +
                                      BuildctlArgs::syncKey("0123456789abcdef", "/src/b") +
                                      "-dddddddddddddddd ") != std::string::npos);

        // A remote context is BuildKit's own to fetch: no policy file.
        r.remoteContext = "https://example.com/repo.git";
        CPPUNIT_ASSERT_EQUAL(std::string::npos, joined(r).find("--source-policy-file"));
    }

    void testSecretsOnlyInTheEnvironment()
    {
        BuildRequest r;
        r.contextDir = r.dockerfileDir = "/src";
        r.dockerfileName = "Dockerfile";
        r.secrets = {{"tok", "s3cr3t-value"}, {"key", "k3y-value"}};
        r.ghaToken = "gha-t0ken";
        r.cacheTo = {{CacheType::Gha, {{"scope", "j"}, {"url", "http://cache/"}}, ""}};
        // In memory by default: argv names the descriptors, the environment holds no value.
        std::string a = joined(r);
        CPPUNIT_ASSERT(a.find("--secret id=tok,src=/proc/self/fd/3 --secret "
                              "id=key,src=/proc/self/fd/4") != std::string::npos);
        CPPUNIT_ASSERT(a.find("--export-cache type=gha,scope=j,url=http://cache/") !=
                       std::string::npos);
        CPPUNIT_ASSERT(a.find("s3cr3t") == std::string::npos);
        CPPUNIT_ASSERT(a.find("t0ken") == std::string::npos);
        auto env = BuildctlArgs::env(r, "/tmp/c");
        CPPUNIT_ASSERT(base::join(env, " ").find("s3cr3t") == std::string::npos);
        CPPUNIT_ASSERT(std::find(env.begin(), env.end(), "ACTIONS_RUNTIME_TOKEN=gha-t0ken") !=
                       env.end());
        CPPUNIT_ASSERT(std::find(env.begin(), env.end(), "DOCKER_CONFIG=/tmp/c") != env.end());
        // Without the helper: the environment.
        a = base::join(BuildctlArgs::argv(r, "/w", SecretPassing::Environment), " ");
        CPPUNIT_ASSERT(a.find("--secret id=tok,env=SECRET_0") != std::string::npos);
        CPPUNIT_ASSERT(a.find("s3cr3t") == std::string::npos);
        env = BuildctlArgs::env(r, "/tmp/c", SecretPassing::Environment);
        CPPUNIT_ASSERT(std::find(env.begin(), env.end(), "SECRET_0=s3cr3t-value") != env.end());
    }

    void testRunOptionsAsBuildxSendsThem()
    {
        BuildRequest r;
        r.contextDir = r.dockerfileDir = "/src";
        r.dockerfileName = "Dockerfile";
        r.shmSize = 1024;
        r.ulimits = {"nofile=1:2", "nproc=3:3"};
        r.cgroupParent = "/ci";
        r.noCacheFilter = {"a", "b"};
        r.allow = {"security.insecure", "network.host"};
        r.network = "host";
        r.call = "lint";
        r.resources = {{"memory", "1024"}, {"cpusetcpus", "0-1"}};
        const std::string a = joined(r);
        for (const char* want :
             {"--opt shm-size=1024", "--opt ulimit=nofile=1:2,nproc=3:3", "--opt cgroup-parent=/ci",
              "--opt memory=1024", "--opt cpusetcpus=0-1", "--opt no-cache=a,b",
              "--allow security.insecure", "--opt requestid=frontend.lint"})
            CPPUNIT_ASSERT_MESSAGE(want, a.find(want) != std::string::npos);
        // network.host once, for --network host.
        CPPUNIT_ASSERT_EQUAL(a.find("--allow network.host"), a.rfind("--allow network.host"));
    }

    void testMemoryFilesFraming()
    {
        const std::string framed = builder::MemoryFiles::frame({"ab", std::string("\0\n", 2)});
        CPPUNIT_ASSERT_EQUAL(std::string("\0\0\0\0\0\0\0\2ab\0\0\0\0\0\0\0\2\0\n", 20), framed);
    }

    void testCsvQuoting()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("type=image,\"name=a,b\",\"x=\"\"q\"\"\""),
            BuildctlArgs::csv({{"type", "image"}, {"name", "a,b"}, {"x", "\"q\""}}));
    }

    std::vector<StepEvent> decode(const std::string& stream)
    {
        std::vector<StepEvent> events; // decoded: the raw lines apart
        Progress p(
            [&](const StepEvent& e)
            {
                if (e.kind != StepEvent::Kind::Raw)
                    events.push_back(e);
            });
        // Feed in small pieces: lines are split across reads.
        for (std::size_t i = 0; i < stream.size(); i += 7)
            p.feed(stream.data() + i, std::min<std::size_t>(7, stream.size() - i));
        p.finish();
        return events;
    }

    static std::string b64(const std::string& s)
    {
        std::ostringstream out;
        Poco::Base64Encoder enc(out);
        enc << s;
        enc.close();
        return out.str();
    }

    void testProgressMergesVertexes()
    {
        std::string s =
            R"({"vertexes":[{"digest":"d1","name":"[1/2] FROM x"}]})"
            "\n"
            R"({"vertexes":[{"digest":"d1","name":"[1/2] FROM x","started":"2026-01-01T00:00:00.000Z"}]})"
            "\n"
            R"({"vertexes":[{"digest":"d1","name":"[1/2] FROM x","started":"2026-01-01T00:00:00.000Z","completed":"2026-01-01T00:00:01.500Z"}]})"
            "\n"
            R"({"vertexes":[{"digest":"d2","name":"[2/2] RUN x","cached":true}]})"
            "\n"
            R"({"vertexes":[{"digest":"d3","name":"[3/3] RUN y","started":"2026-01-01T00:00:02.000Z","completed":"2026-01-01T00:00:03.000Z","error":"exit code: 1"}]})"
            "\n"
            "error: failed to solve\n";
        auto ev = decode(s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), ev.size());
        CPPUNIT_ASSERT(ev[0].kind == StepEvent::Kind::Started && ev[0].step.number == 1);
        CPPUNIT_ASSERT(ev[1].kind == StepEvent::Kind::Done);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.5, ev[1].step.seconds, 0.001);
        CPPUNIT_ASSERT(ev[3].kind == StepEvent::Kind::Cached && ev[3].step.number == 2);
        CPPUNIT_ASSERT(ev[5].kind == StepEvent::Kind::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("exit code: 1"), ev[5].step.error);
    }

    void testProgressRawLinesComeFirstWithSecretsRedacted()
    {
        // --progress rawjson prints each status line as it came, before its decoded events; a
        // secret a step echoed travels base64-encoded and is redacted there too.
        base::Redactor::instance().add("raw-s3cret-4711");
        const std::string plain =
            R"({"vertexes":[{"digest":"d","name":"RUN","started":"2026-01-01T00:00:00Z"}]})";
        const std::string leaky = R"({"logs":[{"vertex":"d","stream":1,"data":")" +
                                  b64("token raw-s3cret-4711\n") + R"("}]})";
        std::vector<StepEvent> events;
        Progress p([&](const StepEvent& e) { events.push_back(e); });
        const std::string s = plain + "\n" + leaky + "\nnot json\n";
        p.feed(s.data(), s.size());
        p.finish();
        CPPUNIT_ASSERT(events.at(0).kind == StepEvent::Kind::Raw);
        CPPUNIT_ASSERT_EQUAL(plain, events[0].text);
        CPPUNIT_ASSERT(events.at(1).kind == StepEvent::Kind::Started);
        CPPUNIT_ASSERT(events.at(2).kind == StepEvent::Kind::Raw);
        const std::string raw = events[2].text;
        auto data = Poco::JSON::Parser()
                        .parse(raw)
                        .extract<Poco::JSON::Object::Ptr>()
                        ->getArray("logs")
                        ->getObject(0)
                        ->getValue<std::string>("data");
        std::istringstream in(data);
        Poco::Base64Decoder dec(in);
        std::string decoded((std::istreambuf_iterator<char>(dec)),
                            std::istreambuf_iterator<char>());
        CPPUNIT_ASSERT(decoded.find("raw-s3cret-4711") == std::string::npos);
        CPPUNIT_ASSERT(decoded.find("token ") == 0);
        // A line that is not JSON is no status: no raw event for it.
        for (const auto& e : events)
            CPPUNIT_ASSERT(e.text != "not json");
    }

    void testProgressLogsAcrossChunks()
    {
        std::string s =
            R"({"vertexes":[{"digest":"d","name":"RUN","started":"2026-01-01T00:00:00Z"}]})"
            "\n"
            R"({"logs":[{"vertex":"d","stream":1,"data":")" +
            b64("hello wo") +
            R"("}]})"
            "\n"
            R"({"logs":[{"vertex":"d","stream":1,"data":")" +
            b64("rld\nsecond\n") +
            R"("}]})"
            "\n";
        std::vector<std::string> lines;
        Progress p(
            [&](const StepEvent& e)
            {
                if (e.kind == StepEvent::Kind::Log)
                    lines.push_back(e.text);
            });
        p.feed(s.data(), s.size());
        p.finish();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("hello world"), lines[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("second"), p.steps().at(0).logTail.back());
    }

    void testProgressTakesTheHelpersReportedFiles()
    {
        std::vector<StepEvent> events;
        Progress p([&](const StepEvent& e) { events.push_back(e); });
        const std::string s = R"({"hoist.file":{"path":"/w/ref","data":")" + b64("r1") +
                              R"("}})"
                              "\n"
                              R"({"hoist.file":{"path":"/w/metadata.json"}})"
                              "\n";
        p.feed(s.data(), s.size());
        p.finish();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.reported().size());
        CPPUNIT_ASSERT_EQUAL(std::string("r1"), p.reported().at("/w/ref").value_or("none"));
        CPPUNIT_ASSERT(!p.reported().at("/w/metadata.json").has_value()); // not written
        CPPUNIT_ASSERT(events.empty()); // neither a step nor a raw progress line
        CPPUNIT_ASSERT(p.messages().empty());
    }

    void testProgressKeepsALastLineWithoutNewline()
    {
        // The failing step's last words, with no newline, then the step fails; and another
        // step's unterminated line when the stream ends.
        std::string s =
            R"({"vertexes":[{"digest":"a","name":"RUN a","started":"2026-01-01T00:00:00Z"}]})"
            "\n"
            R"({"logs":[{"vertex":"a","stream":2,"data":")" +
            b64("fatal: no such file") +
            R"("}]})"
            "\n"
            R"({"vertexes":[{"digest":"a","name":"RUN a","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01Z","error":"exit code: 2"}]})"
            "\n"
            R"({"vertexes":[{"digest":"b","name":"RUN b","started":"2026-01-01T00:00:00Z"}]})"
            "\n"
            R"({"logs":[{"vertex":"b","stream":1,"data":")" +
            b64("tail") +
            R"("}]})"
            "\n";
        auto ev = decode(s);
        std::vector<std::string> order;
        for (const auto& e : ev)
            order.push_back(e.kind == StepEvent::Kind::Log      ? "log:" + e.text
                            : e.kind == StepEvent::Kind::Failed ? "failed"
                                                                : "other");
        const auto failed = std::find(order.begin(), order.end(), "failed");
        CPPUNIT_ASSERT(failed != order.end());
        CPPUNIT_ASSERT_EQUAL(std::string("log:fatal: no such file"), *(failed - 1));
        CPPUNIT_ASSERT_EQUAL(std::string("log:tail"), order.back());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildctlArgsTest);
