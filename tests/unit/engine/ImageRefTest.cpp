#include "engine/ImageRef.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using hoist::engine::ImageRef;

class ImageRefTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ImageRefTest);
    CPPUNIT_TEST(testValidReferences);
    CPPUNIT_TEST(testInvalidReferencesSayWhy);
    CPPUNIT_TEST(testRepositoryAlone);
    CPPUNIT_TEST(testDockerHubByAnyName);
    CPPUNIT_TEST_SUITE_END();

public:
    void testValidReferences()
    {
        const char* valid[] = {
            "alpine",
            "alpine:3.20",
            "moby/buildkit:buildx-stable-1",
            "ghcr.io/org/app:v1.2.3-rc_1",
            "localhost:5000/a/b/c",
            "127.0.0.1:5123/hoist/busybox:latest",
            "[::1]:5000/app:1",
            "Registry.Example.com/app",
            "a__b/c-d---e.f:T",
            "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "app:1@sha256:0123456789abcdef0123456789abcdef"};
        for (const char* ref : valid)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ref, std::string(), ImageRef::problem(ref));
        CPPUNIT_ASSERT_EQUAL(std::string(), ImageRef::problem("x:" + std::string(128, 'a')));
    }

    void testInvalidReferencesSayWhy()
    {
        struct Case
        {
            std::string ref;
            std::string says;
        };
        const Case cases[] = {
            {"rel/UPPER", "repository name rel/UPPER has upper-case letters"},
            {"UPPER/Case:bad tag", "repository name Case has upper-case letters"},
            {"x:", "the tag after ':' is empty"},
            {":latest", "no repository name"},
            {"-oops", "must be lower-case letters and digits"},
            {"a/-b", "must be lower-case letters and digits"},
            {"a..b", "must be lower-case letters and digits"},
            {"a___b", "must be lower-case letters and digits"},
            {"a/", "must be lower-case letters and digits"},
            {"", "no repository name"},
            {"x:" + std::string(129, 'a'), "is invalid (at most 128"},
            {"x:.hidden", "is invalid (at most 128"},
            {"x:v1\n", "is invalid (at most 128"},
            {"x\n:v1", "must be lower-case letters and digits"},
            {"x:v1 2", "is invalid (at most 128"},
            {std::string(256, 'a'), "is over 255 characters"},
            {"app@sha256:abc", "the digest"},
            {"app@", "the digest"},
            {"bad_host.com:port/app", "registry host bad_host.com:port is invalid"},
        };
        for (const auto& c : cases)
        {
            const std::string p = ImageRef::problem(c.ref);
            CPPUNIT_ASSERT_MESSAGE(c.ref + " -> " + p, p.find(c.says) != std::string::npos);
        }
    }

    void testRepositoryAlone()
    {
        CPPUNIT_ASSERT_EQUAL(std::string(), ImageRef::problem("ghcr.io/a/b", false));
        CPPUNIT_ASSERT(!ImageRef::problem("ghcr.io/a/b:1", false).empty());
        CPPUNIT_ASSERT(
            !ImageRef::problem("b@sha256:0123456789abcdef0123456789abcdef", false).empty());
    }

    void testDockerHubByAnyName()
    {
        for (const char* ref :
             {"alpine:3.20", "docker.io/alpine:3.20", "index.docker.io/alpine:3.20",
              "library/alpine:3.20", "docker.io/library/alpine:3.20"})
        {
            const ImageRef r = ImageRef::parse(ref);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ref, std::string("docker.io"), r.registry);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ref, std::string("library/alpine"), r.repository);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ref, std::string("3.20"), r.tag);
        }
        const ImageRef user = ImageRef::parse("index.docker.io/user/app@sha256:abc");
        CPPUNIT_ASSERT_EQUAL(std::string("docker.io"), user.registry);
        CPPUNIT_ASSERT_EQUAL(std::string("user/app"), user.repository);
        CPPUNIT_ASSERT_EQUAL(std::string("index.docker.io/user/app"), user.name);
        const ImageRef local = ImageRef::parse("localhost:5000/alpine");
        CPPUNIT_ASSERT_EQUAL(std::string("alpine"), local.repository);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageRefTest);
