#include "registry/Index.h"
#include "registry/RegistryClient.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>
#include <string>
#include <vector>

using hoist::registry::Challenge;
using hoist::registry::Index;
using hoist::registry::IndexSpec;
using hoist::registry::Manifest;
using hoist::registry::SourceImage;

namespace
{

const char* const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

std::string sha(const std::string& body)
{
    Poco::SHA2Engine e(Poco::SHA2Engine::SHA_256);
    e.update(body);
    return "sha256:" + Poco::DigestEngine::digestToHex(e.digest());
}

SourceImage image(const std::string& name, const std::string& arch, const std::string& variant = "")
{
    const std::string body = "{\"schemaVersion\":2,\"mediaType\":\"" + std::string(OCI_MANIFEST) +
                             "\",\"arch\":\"" + arch + variant + "\"}";
    return {name, "localhost:5000", "app", {OCI_MANIFEST, sha(body), body}, "linux", arch, variant};
}

// An index as BuildKit pushes one platform with its provenance: the image and its attestation.
SourceImage leg(const std::string& name, const std::string& arch, const std::string& imageDigest,
                const std::string& attestationDigest)
{
    const std::string body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
        R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
        imageDigest + R"(","size":100,"platform":{"architecture":")" + arch +
        R"(","os":"linux"}},)"
        R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
        attestationDigest + R"(","size":50,"annotations":{"vnd.docker.reference.digest":")" +
        imageDigest +
        R"(","vnd.docker.reference.type":"attestation-manifest"},)"
        R"("platform":{"architecture":"unknown","os":"unknown"}}]})";
    return {name, "localhost:5000", "app", {Index::MEDIA_TYPE, sha(body), body}, "", "", ""};
}

Poco::JSON::Object::Ptr parse(const std::string& json)
{
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

class IndexTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(IndexTest);
    CPPUNIT_TEST(testImagesGetTheirPlatformsFromTheirConfigs);
    CPPUNIT_TEST(testIndexesAreFlattenedWithTheirAttestations);
    CPPUNIT_TEST(testAPlatformGivenTwiceIsRefusedNamingBoth);
    CPPUNIT_TEST(testIndexAnnotations);
    CPPUNIT_TEST(testNeitherImageNorIndexIsRefused);
    CPPUNIT_TEST(testOneIndexIsPushedAsItIs);
    CPPUNIT_TEST(testTheSameImageTwiceIsOneEntry);
    CPPUNIT_TEST(testPlatformsAreNormalised);
    CPPUNIT_TEST(testAttestationsAloneAreNoImage);
    CPPUNIT_TEST(testDescriptorAnnotationsAsBuildx);
    CPPUNIT_TEST(testPlatformFilterKeepsTheirAttestations);
    CPPUNIT_TEST(testChallenges);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDescriptorAnnotationsAsBuildx()
    {
        hoist::base::Problems problems;
        IndexSpec spec;
        spec.descriptorAnnotations = {{"", {{"all", "1"}}}, {"linux/arm64", {{"arm", "2"}}}};
        const Index index = Index::merge({leg("amd", "amd64", "sha256:" + std::string(64, 'a'),
                                              "sha256:" + std::string(64, '1')),
                                          leg("arm", "arm64", "sha256:" + std::string(64, 'b'),
                                              "sha256:" + std::string(64, '2'))},
                                         spec, problems);
        CPPUNIT_ASSERT(problems.empty());
        auto list = parse(index.manifest().body)->getArray("manifests");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), list->size());
        for (std::size_t i = 0; i < list->size(); ++i)
        {
            auto d = list->getObject(static_cast<unsigned>(i));
            auto a = d->getObject("annotations");
            const std::string arch =
                d->getObject("platform")->getValue<std::string>("architecture");
            // Every descriptor, attestations' too, gets the platform-less one; only arm64's
            // image gets its own; an attestation keeps its reference annotations.
            CPPUNIT_ASSERT_EQUAL(std::string("1"), a->getValue<std::string>("all"));
            CPPUNIT_ASSERT_EQUAL(arch == "arm64", a->has("arm"));
            if (arch == "unknown")
                CPPUNIT_ASSERT(a->has("vnd.docker.reference.digest"));
        }
    }

    void testPlatformFilterKeepsTheirAttestations()
    {
        hoist::base::Problems problems;
        IndexSpec spec;
        spec.platforms = {"linux/arm64"};
        const std::vector<SourceImage> sources = {
            leg("amd", "amd64", "sha256:" + std::string(64, 'a'), "sha256:" + std::string(64, '1')),
            leg("arm", "arm64", "sha256:" + std::string(64, 'b'),
                "sha256:" + std::string(64, '2'))};
        const Index index = Index::merge(sources, spec, problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT((index.platforms() == std::vector<std::string>{"linux/arm64"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), index.entries().size()); // its attestation kept
        CPPUNIT_ASSERT_EQUAL("sha256:" + std::string(64, 'b'), index.entries()[1].attestsTo);
        // One index filtered is a new index; nothing left is a problem.
        const Index one = Index::merge({sources[0]}, spec, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
        CPPUNIT_ASSERT(problems[0].message().find("none of the platforms asked for") !=
                       std::string::npos);
    }

    void testImagesGetTheirPlatformsFromTheirConfigs()
    {
        hoist::base::Problems problems;
        const std::vector<SourceImage> sources = {image("a@1", "amd64"), image("b@2", "arm", "v7")};
        const Index index = Index::merge(sources, {}, problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT(
            (index.platforms() == std::vector<std::string>{"linux/amd64", "linux/arm/v7"}));
        const Manifest& m = index.manifest();
        CPPUNIT_ASSERT_EQUAL(std::string(Index::MEDIA_TYPE), m.mediaType);
        CPPUNIT_ASSERT_EQUAL(sha(m.body), m.digest);
        auto root = parse(m.body);
        CPPUNIT_ASSERT_EQUAL(2, root->getValue<int>("schemaVersion"));
        CPPUNIT_ASSERT_EQUAL(std::string(Index::MEDIA_TYPE),
                             root->getValue<std::string>("mediaType"));
        auto list = root->getArray("manifests");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list->size());
        auto second = list->getObject(1);
        CPPUNIT_ASSERT_EQUAL(sources[1].manifest.digest, second->getValue<std::string>("digest"));
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(sources[1].manifest.body.size()),
                             second->getValue<int>("size"));
        CPPUNIT_ASSERT_EQUAL(std::string("v7"),
                             second->getObject("platform")->getValue<std::string>("variant"));
        CPPUNIT_ASSERT(!root->has("annotations"));
    }

    void testIndexesAreFlattenedWithTheirAttestations()
    {
        const std::string amd = "sha256:" + std::string(64, 'a');
        const std::string arm = "sha256:" + std::string(64, 'b');
        hoist::base::Problems problems;
        const std::vector<SourceImage> sources = {
            leg("amd", "amd64", amd, "sha256:" + std::string(64, '1')),
            leg("arm", "arm64", arm, "sha256:" + std::string(64, '2'))};
        const Index index = Index::merge(sources, {}, problems);
        CPPUNIT_ASSERT(problems.empty());
        const auto& e = index.entries();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), e.size());
        // Images first, in the order given; then each attestation, pointing at its image.
        CPPUNIT_ASSERT_EQUAL(amd, e[0].digest);
        CPPUNIT_ASSERT_EQUAL(arm, e[1].digest);
        CPPUNIT_ASSERT_EQUAL(amd, e[2].attestsTo);
        CPPUNIT_ASSERT_EQUAL(arm, e[3].attestsTo);
        CPPUNIT_ASSERT_EQUAL(std::string(), e[2].platform);
        CPPUNIT_ASSERT(e[3].from == &sources[1]);
        auto list = parse(index.manifest().body)->getArray("manifests");
        CPPUNIT_ASSERT_EQUAL(std::string("attestation-manifest"),
                             list->getObject(3)
                                 ->getObject("annotations")
                                 ->getValue<std::string>("vnd.docker.reference.type"));
    }

    void testAPlatformGivenTwiceIsRefusedNamingBoth()
    {
        const std::string amd = "sha256:" + std::string(64, 'a');
        hoist::base::Problems problems;
        const std::vector<SourceImage> sources = {
            leg("first@x", "amd64", amd, "sha256:" + std::string(64, '1')),
            image("second@y", "amd64")};
        const Index index = Index::merge(sources, {}, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
        CPPUNIT_ASSERT_EQUAL(std::string("the platform linux/amd64 is in both first@x and "
                                         "second@y: give each platform once"),
                             problems[0].message());
    }

    void testIndexAnnotations()
    {
        hoist::base::Problems problems;
        IndexSpec spec;
        spec.annotations = {{"org.opencontainers.image.title", "app"}};
        const Index index = Index::merge({image("a", "amd64")}, spec, problems);
        auto a = parse(index.manifest().body)->getObject("annotations");
        CPPUNIT_ASSERT(a);
        CPPUNIT_ASSERT_EQUAL(std::string("app"),
                             a->getValue<std::string>("org.opencontainers.image.title"));
    }

    void testNeitherImageNorIndexIsRefused()
    {
        SourceImage odd = image("odd@z", "amd64");
        odd.os.clear();
        odd.manifest.mediaType = "application/vnd.oci.artifact.manifest.v1+json";
        hoist::base::Problems problems;
        Index::merge({odd}, {}, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), problems.size()); // and no image at all
        CPPUNIT_ASSERT(problems[0].message().find("odd@z is neither an image nor an index") == 0);
    }

    void testOneIndexIsPushedAsItIs()
    {
        hoist::base::Problems problems;
        const std::vector<SourceImage> sources = {leg(
            "amd", "amd64", "sha256:" + std::string(64, 'a'), "sha256:" + std::string(64, '1'))};
        const Index index = Index::merge(sources, {}, problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(sources[0].manifest.digest, index.manifest().digest);
        CPPUNIT_ASSERT_EQUAL(sources[0].manifest.body, index.manifest().body);
        CPPUNIT_ASSERT((index.platforms() == std::vector<std::string>{"linux/amd64"}));
        // With an annotation to add, a new index.
        IndexSpec spec;
        spec.annotations = {{"k", "v"}};
        const Index annotated = Index::merge(sources, spec, problems);
        CPPUNIT_ASSERT(annotated.manifest().digest != sources[0].manifest.digest);
    }

    void testTheSameImageTwiceIsOneEntry()
    {
        hoist::base::Problems problems;
        const Index index =
            Index::merge({image("a", "amd64"), image("a again", "amd64")}, {}, problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), index.entries().size());
    }

    void testPlatformsAreNormalised()
    {
        hoist::base::Problems problems;
        Index::merge(
            {image("v8", "arm64", "v8"), leg("plain", "arm64", "sha256:" + std::string(64, 'b'),
                                             "sha256:" + std::string(64, '2'))},
            {}, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
        CPPUNIT_ASSERT(
            problems[0].message().find("the platform linux/arm64 is in both v8 and plain") == 0);
    }

    void testAttestationsAloneAreNoImage()
    {
        SourceImage only =
            leg("x", "amd64", "sha256:" + std::string(64, 'a'), "sha256:" + std::string(64, '1'));
        // The image entry gone: an index of an attestation alone.
        auto root = parse(only.manifest.body);
        root->getArray("manifests")->remove(0);
        std::ostringstream body;
        root->stringify(body);
        only.manifest = {Index::MEDIA_TYPE, sha(body.str()), body.str()};
        hoist::base::Problems problems;
        Index::merge({only, image("b", "arm64")}, {}, problems);
        CPPUNIT_ASSERT(problems.empty()); // arm64 is an image
        IndexSpec spec;
        spec.annotations = {{"k", "v"}};
        Index::merge({only}, spec, problems);
        CPPUNIT_ASSERT_EQUAL(std::string("the sources hold no image to merge"),
                             problems.at(0).message());
    }

    void testChallenges()
    {
        const Challenge bearer = Challenge::parse(
            R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull,push")");
        CPPUNIT_ASSERT_EQUAL(std::string("bearer"), bearer.scheme);
        CPPUNIT_ASSERT_EQUAL(std::string("https://ghcr.io/token"), bearer.params.at("realm"));
        CPPUNIT_ASSERT_EQUAL(std::string("ghcr.io"), bearer.params.at("service"));
        CPPUNIT_ASSERT_EQUAL(std::string("repository:o/a:pull,push"), bearer.params.at("scope"));
        const Challenge basic = Challenge::parse("Basic realm=Registry, charset=UTF-8");
        CPPUNIT_ASSERT_EQUAL(std::string("basic"), basic.scheme);
        CPPUNIT_ASSERT_EQUAL(std::string("Registry"), basic.params.at("realm"));
        CPPUNIT_ASSERT_EQUAL(std::string("UTF-8"), basic.params.at("charset"));
        CPPUNIT_ASSERT(Challenge::parse("Negotiate").params.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IndexTest);
