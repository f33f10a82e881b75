// Unit scenarios of one build through a fake builder: what is sent, what is held and let go,
// and every failure class with its exit code.

#include "buildrun/BuildRunner.h"
#include "base/Error.h"
#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "buildrun/BuildVerdict.h"
#include "buildrun/DockerIgnore.h"
#include "fakes/FakeBuildChannel.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace hoist;
using namespace hoist::buildrun;
using hoist::test::FakeBuildChannel;
using hoist::test::TempDir;

namespace
{

std::string vertex(const std::string& digest, const std::string& name, const std::string& extra)
{
    return R"({"vertexes":[{"digest":")" + digest + R"(","name":")" + name +
           R"(","started":"2026-01-01T00:00:00.000Z")" + extra + "}]}";
}

std::string done(const std::string& digest, const std::string& name, bool cached = false)
{
    return vertex(digest, name,
                  std::string(R"(,"completed":"2026-01-01T00:00:01.000Z")") +
                      (cached ? R"(,"cached":true)" : ""));
}

std::string failedStep(const std::string& digest, const std::string& name, const std::string& error)
{
    return vertex(digest, name,
                  R"(,"completed":"2026-01-01T00:00:01.000Z","error":")" + error + R"(")");
}

bool has(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class BuildRunnerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildRunnerTest);
    CPPUNIT_TEST(testBuiltThroughTheHelper);
    CPPUNIT_TEST(testOnlyWhatChangedGoesToTheMirror);
    CPPUNIT_TEST(testBusyMirrorSendsTheContextWhole);
    CPPUNIT_TEST(testKeptManifestSparesTheListing);
    CPPUNIT_TEST(testSmallContextMirrorIsInMemory);
    CPPUNIT_TEST(testFailedStepNamesItsDockerfileLine);
    CPPUNIT_TEST(testPushTimeoutIsWorthRerunning);
    CPPUNIT_TEST(testFilesTheBuilderCannotTakeAreUnavailable);
    CPPUNIT_TEST(testImageLoadRefusedIsUnavailable);
    CPPUNIT_TEST(testWithoutHelperUploadsAndCleansWithTheImagesTools);
    CPPUNIT_TEST(testWithoutHelperRefusesWhatOnlyTheHelperCanPass);
    CPPUNIT_TEST(testCleanCheckConfirmsTheDockerfileParses);
    CPPUNIT_TEST(testCancelledBuildLetsGo);
    CPPUNIT_TEST(testVerdictTemporaryOnlyForPushTimeouts);
    CPPUNIT_TEST_SUITE_END();

public:
    // A context with one file and its Dockerfile, ready to run on channel.
    struct Build
    {
        TempDir dir;
        BuildRequest request;
        ContextTar context;

        explicit Build(const std::string& dockerfile = "FROM busybox\nCOPY a /a\nRUN exit 3\n")
        {
            dir.write("a", "a\n");
            dir.write("Dockerfile", dockerfile);
            request.contextDir = request.dockerfileDir = dir.path();
            request.dockerfileName = "Dockerfile";
            hoist::base::Problems problems;
            context = ContextTar::scan(dir.path(), DockerIgnore(), problems);
        }

        // Over what the builder's memory takes: the context has a mirror.
        void large()
        {
            dir.write("large", std::string(9 << 20, 'x'));
            base::Problems problems;
            context = ContextTar::scan(dir.path(), DockerIgnore(), problems);
        }

        BuildSummary run(FakeBuildChannel& channel, const std::string& manifests = "")
        {
            BuildRunner runner(channel, request, context, R"({"auths":{}})");
            runner.setMirrorManifests(manifests);
            return runner.run([](const StepEvent&) {});
        }
    };

    void testBuiltThroughTheHelper()
    {
        Build b;
        b.request.secrets = {{"token", "s3cret"}};
        FakeBuildChannel ch;
        ch.scripts = {
            {{done("d1", "[1/2] FROM busybox", true), done("d2", "[2/2] COPY a /a")}, "", 0}};
        ch.files["/metadata.json"] =
            R"({"containerimage.digest":"sha256:abc","containerimage.config.digest":"sha256:def"})";
        BuildSummary s = b.run(ch);
        CPPUNIT_ASSERT_EQUAL(2, s.steps);
        CPPUNIT_ASSERT_EQUAL(1, s.cached);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:abc"), s.digest);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:def"), s.imageId);
        // One hold, let go once; it stops this build's buildctl and removes its directories.
        CPPUNIT_ASSERT_EQUAL(1, ch.holdsTaken);
        CPPUNIT_ASSERT_EQUAL(1, ch.leasesReleased);
        CPPUNIT_ASSERT(contains(ch.holdStop.at(0), "/metadata.json"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), ch.holdRemove.size());
        // The secret only in memory; the files in one stream: credentials, work dir, inputs
        // (a small context: in the builder's memory).
        CPPUNIT_ASSERT(ch.memoryFiles == std::vector<std::string>{"s3cret"});
        CPPUNIT_ASSERT(contains(ch.unpackDirs.at(2).dir, "/dev/shm/hoist-build-"));
        for (const auto& c : ch.execs.at(0).cmd)
            CPPUNIT_ASSERT(!contains(c, "s3cret"));
        const auto names = FakeBuildChannel::entries(ch.tars);
        for (const char* want :
             {"config.json", "source-policy.json", "context/a", "dockerfile/Dockerfile"})
        {
            if (!has(names, want))
                CPPUNIT_FAIL(std::string("not sent: ") + want);
        }
        CPPUNIT_ASSERT(ch.copiedInto.empty()); // no archive PUT
    }

    void testOnlyWhatChangedGoesToTheMirror()
    {
        Build b;
        b.large();
        FakeBuildChannel ch;
        ch.mirrorManifest = ""; // none yet: everything goes, into the mirror
        BuildSummary s = b.run(ch);
        CPPUNIT_ASSERT_EQUAL(std::string(builder::Mirror::LIST_COMMAND), ch.helperRuns.at(0).at(0));
        const std::string mirror = ch.helperRuns.at(0).at(1);
        CPPUNIT_ASSERT(contains(mirror, "/var/lib/buildkit/hoist-mirror/hoist-"));
        const builder::Unpack& m = ch.unpackDirs.at(3);
        CPPUNIT_ASSERT_EQUAL(mirror, m.dir);
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(""), m.mirrorDigest);
        CPPUNIT_ASSERT(has(ch.execs.at(0).cmd, "context=" + mirror));
        CPPUNIT_ASSERT_EQUAL(3L, s.contextChanged); // a, the Dockerfile, the large file
        // Held as the context is now (what the helper lists of such a mirror), nothing goes.
        ch.mirrorManifest = builder::Mirror::list(b.dir.path());
        s = b.run(ch);
        CPPUNIT_ASSERT_EQUAL(0L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(0ULL, s.contextBytes);
    }

    void testBusyMirrorSendsTheContextWhole()
    {
        Build b;
        b.large();
        FakeBuildChannel ch;
        ch.mirrorManifest = "";
        ch.scripts = {
            {{"hoist files: mirror: another build uses the mirror"}, "", builder::Mirror::BUSY},
            {{done("d1", "[1/2] FROM busybox")}, "", 0}};
        BuildSummary s = b.run(ch);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ch.execs.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), ch.unpackDirs.size()); // no mirror the second time
        bool whole = false;
        for (const auto& a : ch.execs.at(1).cmd)
            whole = whole || (contains(a, "context=/var/lib/buildkit/hoist-build-") &&
                              contains(a, "/context"));
        CPPUNIT_ASSERT(whole);
        CPPUNIT_ASSERT_EQUAL(-1L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(1, s.steps); // the refused run's lines are not the build's
        CPPUNIT_ASSERT_EQUAL(1, ch.leasesReleased);
    }

    void testKeptManifestSparesTheListing()
    {
        Build b;
        b.large();
        TempDir kept;
        FakeBuildChannel ch;
        ch.mirrorManifest = ""; // none yet: listed, everything goes
        BuildSummary s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(3L, s.contextChanged);
        // The next build in the same container tells the difference from the manifest this
        // machine kept, the one the mirror now has: no listing, nothing goes, and the helper
        // checks the mirror against it.
        const std::vector<std::string> keptFiles = kept.list();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), keptFiles.size());
        const std::string sent = kept.read(keptFiles.at(0));
        CPPUNIT_ASSERT(contains(ch.tars, builder::MemoryFiles::frame({"", sent})));
        std::vector<std::string> paths;
        for (const auto& e : builder::Mirror::parse(sent))
            paths.push_back(e.path);
        CPPUNIT_ASSERT((paths == std::vector<std::string>{"Dockerfile", "a", "large"}));
        ch.mirrorManifest = std::nullopt; // a listing would fail
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(0L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(sent), ch.unpackDirs.back().mirrorDigest);
        // The mirror is not what was kept (a build from elsewhere changed it): refused, then
        // listed, and the difference from the listing goes.
        b.dir.write("a", "changed\n");
        hoist::base::Problems problems;
        b.context = ContextTar::scan(b.dir.path(), DockerIgnore(), problems);
        ch.mirrorManifest = sent;
        ch.scripts = {{{"hoist files: mirror: is not the one the change was told from"},
                       "",
                       builder::Mirror::STALE},
                      {{done("d1", "[1/2] FROM busybox")}, "", 0}};
        ch.execs.clear();
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ch.execs.size());
        CPPUNIT_ASSERT_EQUAL(1L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(sent), ch.unpackDirs.back().mirrorDigest);
        // A builder made anew on the state kept (another container, the same volume): the
        // mirror on the volume is as it was, and so is the manifest kept for it here.
        ch.containerId = "another";
        ch.scripts.clear();
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(0L, s.contextChanged);
        // Another state volume (one of the same name made anew) has none of this machine's
        // manifests: listed.
        ch.volumeId = "fake-volume 0f0f0f";
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), ch.helperRuns.size());
        // A volume hoist did not make (no identity of its own): kept per container.
        ch.volumeId = "";
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), ch.helperRuns.size());
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), ch.helperRuns.size());
        ch.containerId = "a third";
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), ch.helperRuns.size());
    }

    void testSmallContextMirrorIsInMemory()
    {
        Build b;
        TempDir kept;
        FakeBuildChannel ch;
        // None kept here for this container: taken to be empty, not listed; all of it goes.
        BuildSummary s = b.run(ch, kept.path());
        CPPUNIT_ASSERT(ch.helperRuns.empty());
        const builder::Unpack& m = ch.unpackDirs.back();
        CPPUNIT_ASSERT(contains(m.dir, "/dev/shm/hoist-mirror/hoist-"));
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(""), m.mirrorDigest);
        CPPUNIT_ASSERT(contains(ch.unpackDirs.at(2).dir, "/dev/shm/hoist-build-"));
        CPPUNIT_ASSERT(has(ch.execs.at(0).cmd, "context=" + m.dir));
        CPPUNIT_ASSERT_EQUAL(2L, s.contextChanged); // a and the Dockerfile
        // The next build: told from the manifest kept here, nothing goes.
        const std::string sent = kept.read(kept.list().at(0));
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT(ch.helperRuns.empty());
        CPPUNIT_ASSERT_EQUAL(0L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(sent), ch.unpackDirs.back().mirrorDigest);
        // A new container whose memory holds a mirror after all (another machine's build):
        // refused by the helper's check, listed, and the difference from the listing goes.
        ch.containerId = "another";
        ch.mirrorManifest = sent;
        ch.scripts = {{{"hoist files: mirror: is not the one the change was told from"},
                       "",
                       builder::Mirror::STALE},
                      {{done("d1", "[1/2] FROM busybox")}, "", 0}};
        s = b.run(ch, kept.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(0L, s.contextChanged);
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::digest(sent), ch.unpackDirs.back().mirrorDigest);
        // With no manifests kept here, a small context goes whole, listed by nobody.
        s = b.run(ch);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ch.helperRuns.size());
        CPPUNIT_ASSERT_EQUAL(-1L, s.contextChanged);
    }

    void testFailedStepNamesItsDockerfileLine()
    {
        Build b;
        FakeBuildChannel ch;
        ch.scripts = {{{done("d1", "[1/3] FROM busybox"),
                        failedStep("d3", "[3/3] RUN exit 3",
                                   "process did not complete successfully: exit code: 3")},
                       "",
                       1}};
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a failed step must fail the build");
        }
        catch (const base::BuildFailedException& e)
        {
            CPPUNIT_ASSERT_EQUAL(1, base::exitCodeFor(e));
            CPPUNIT_ASSERT(contains(e.message(), "Dockerfile:3: step \"[3/3] RUN exit 3\""));
            CPPUNIT_ASSERT(contains(e.message(), "exit code: 3"));
        }
        CPPUNIT_ASSERT_EQUAL(1, ch.leasesReleased);
    }

    void testPushTimeoutIsWorthRerunning()
    {
        Build b;
        FakeBuildChannel ch;
        ch.scripts = {{{failedStep("d9", "pushing layers", "failed to push: i/o timeout")}, "", 1}};
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a push that timed out must fail");
        }
        catch (const base::RetryableException& e)
        {
            CPPUNIT_ASSERT_EQUAL(75, base::exitCodeFor(e));
            CPPUNIT_ASSERT(contains(e.message(), "could not reach a registry in time"));
        }
    }

    void testFilesTheBuilderCannotTakeAreUnavailable()
    {
        Build b;
        FakeBuildChannel ch;
        ch.scripts = {{{"hoist files: cannot unpack: context/a: No space left on device"},
                       "",
                       builder::MemoryFiles::UNPACK_FAILED}};
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a full builder must fail the build");
        }
        catch (const base::UnavailableException& e)
        {
            CPPUNIT_ASSERT_EQUAL(69, base::exitCodeFor(e));
            CPPUNIT_ASSERT_EQUAL(std::string("the builder could not take the build's files: "
                                             "context/a: No space left on device"),
                                 e.message());
        }
        CPPUNIT_ASSERT_EQUAL(1, ch.leasesReleased);
    }

    void testImageLoadRefusedIsUnavailable()
    {
        Build b;
        b.request.outputs = {Output{OutputType::Docker, {{"name", "app"}}, ""}};
        FakeBuildChannel ch;
        ch.scripts = {{{done("d1", "exporting to docker image format")}, "IMAGE-TAR", 0}};
        ch.loadError = "no space left on the engine";
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a refused load must fail");
        }
        catch (const base::UnavailableException& e)
        {
            CPPUNIT_ASSERT(contains(e.message(), "loading the image into the engine failed"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("IMAGE-TAR"), ch.loaded);
    }

    void testWithoutHelperUploadsAndCleansWithTheImagesTools()
    {
        Build b;
        b.request.secrets = {{"token", "small"}};
        FakeBuildChannel ch;
        ch.helper = false;
        b.run(ch);
        // The files through the engine's archive PUT, into the work dir.
        CPPUNIT_ASSERT_EQUAL(std::string("/"), ch.copiedInto.at(0));
        const auto names = FakeBuildChannel::entries(ch.copiedIn);
        bool context = false;
        for (const auto& n : names)
            context = context || (contains(n, "/hoist-build-") && contains(n, "/context/a"));
        CPPUNIT_ASSERT(context);
        // The secret in buildctl's environment; then pkill and rm of the work dir.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), ch.execs.size());
        CPPUNIT_ASSERT(has(ch.execs.at(0).env, "SECRET_0=small"));
        CPPUNIT_ASSERT_EQUAL(std::string("pkill"), ch.execs.at(1).cmd.at(0));
        CPPUNIT_ASSERT_EQUAL(std::string("rm"), ch.execs.at(2).cmd.at(0));
    }

    void testWithoutHelperRefusesWhatOnlyTheHelperCanPass()
    {
        Build b;
        b.request.secrets = {{"big", std::string(70 * 1024, 'x')}};
        FakeBuildChannel ch;
        ch.helper = false;
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a secret over 64 KiB cannot go in the environment");
        }
        catch (const base::UsageException& e)
        {
            CPPUNIT_ASSERT(contains(e.message(), "the secret big, binary or over 64 KiB,"));
        }
        // Nothing ran; what was uploaded is removed all the same.
        CPPUNIT_ASSERT_EQUAL(std::string("rm"), ch.execs.back().cmd.at(0));
    }

    void testCleanCheckConfirmsTheDockerfileParses()
    {
        Build b("FORM busybox\n");
        b.request.call = "lint";
        FakeBuildChannel ch;
        ch.scripts = {{{}, "", 0}, // the check: nothing to say
                      {{failedStep("d1", "[internal] load build definition from Dockerfile",
                                   "dockerfile parse error on line 1: unknown instruction: FORM")},
                       "",
                       1}};
        try
        {
            b.run(ch);
            CPPUNIT_FAIL("a Dockerfile that does not parse is no clean check");
        }
        catch (const base::BuildFailedException& e)
        {
            CPPUNIT_ASSERT(contains(e.message(), "unknown instruction: FORM"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), ch.execs.size());
        CPPUNIT_ASSERT(has(ch.execs.at(1).cmd, "requestid=frontend.outline"));
    }

    void testCancelledBuildLetsGo()
    {
        // A channel whose exec is interrupted: the hold is let go and the cause goes on.
        struct Interrupted : FakeBuildChannel
        {
            std::optional<int> execWithFiles(const engine::ExecSpec&,
                                             const std::vector<std::string>&,
                                             const engine::FrameDemuxer::Sink&,
                                             const std::vector<builder::Unpack>&,
                                             const TarsWriter&) override
            {
                throw base::CancelledException("cancelled");
            }
        };
        Build b;
        Interrupted ch;
        CPPUNIT_ASSERT_THROW(b.run(ch), base::CancelledException);
        CPPUNIT_ASSERT_EQUAL(1, ch.holdsTaken);
        CPPUNIT_ASSERT_EQUAL(1, ch.leasesReleased);
    }

    void testVerdictTemporaryOnlyForPushTimeouts()
    {
        const BuildVerdict::Dockerfile none{"Dockerfile", ""};
        BuildStep push;
        push.name = "pushing layers";
        push.error = "dial tcp: i/o timeout";
        BuildStep run;
        run.name = "[linux/arm64 2/2] RUN wget x";
        run.error = "i/o timeout";
        CPPUNIT_ASSERT(BuildVerdict::of(1, true, {push}, {}, none).kind ==
                       BuildVerdict::Kind::RegistryUnreachable);
        // A step of the user's build that timed out is the user's.
        CPPUNIT_ASSERT(BuildVerdict::of(1, true, {push, run}, {}, none).kind ==
                       BuildVerdict::Kind::StepFailed);
        CPPUNIT_ASSERT(BuildVerdict::of(0, true, {}, {}, none).kind == BuildVerdict::Kind::Built);
        // Exit 126 without the helper's line (the engine could not start the exec) is a failure
        // like any other.
        CPPUNIT_ASSERT(
            BuildVerdict::of(builder::MemoryFiles::UNPACK_FAILED, true, {}, {"oci error"}, none)
                .kind == BuildVerdict::Kind::StepFailed);
        // The platform prefix of a step is not in the Dockerfile.
        CPPUNIT_ASSERT_EQUAL(
            std::string("Dockerfile:2: "),
            BuildVerdict::dockerfileLine(run.name, {"Dockerfile", "FROM busybox\n  RUN wget x\n"}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildRunnerTest);
