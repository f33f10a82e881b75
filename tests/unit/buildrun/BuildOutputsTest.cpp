#include "buildrun/BuildOutputs.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::buildrun;

class BuildOutputsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildOutputsTest);
    CPPUNIT_TEST(testImageIdFallsBackToTheImageDigest);
    CPPUNIT_TEST(testBuildxKeys);
    CPPUNIT_TEST(testCacheOnlyBuildGetsItsRef);
    CPPUNIT_TEST_SUITE_END();

    static Poco::JSON::Object::Ptr parsed(const std::string& json)
    {
        return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    }

public:
    void testImageIdFallsBackToTheImageDigest()
    {
        BuildSummary one;
        one.metadata = R"({"containerimage.digest": "sha256:m",
                           "containerimage.config.digest": "sha256:c"})";
        BuildOutputs::readMetadata(one);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:c"), one.imageId);
        // An index (several platforms) has no config: buildx's --iidfile gives its digest.
        BuildSummary index;
        index.metadata = R"({"containerimage.digest": "sha256:i"})";
        BuildOutputs::readMetadata(index);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:i"), index.imageId);
    }

    void testBuildxKeys()
    {
        BuildSummary s;
        s.metadata = R"({"containerimage.digest": "sha256:i"})";
        s.ref = "abc123";
        BuildWarning w;
        w.raw = R"({"level":1,"short":"c2hvcnQ="})";
        s.warnings = {w};
        BuildOutputs::addBuildxKeys(s, "Ci", false);
        Poco::JSON::Object::Ptr m = parsed(s.metadata);
        CPPUNIT_ASSERT_EQUAL(std::string("Ci/ci0/abc123"),
                             m->getValue<std::string>("buildx.build.ref"));
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:i"),
                             m->getValue<std::string>("containerimage.digest"));
        CPPUNIT_ASSERT(!m->has("buildx.build.warnings"));
        BuildOutputs::addBuildxKeys(s, "Ci", true);
        Poco::JSON::Array::Ptr list = parsed(s.metadata)->getArray("buildx.build.warnings");
        CPPUNIT_ASSERT(list && list->size() == 1);
        CPPUNIT_ASSERT_EQUAL(std::string("c2hvcnQ="),
                             list->getObject(0)->getValue<std::string>("short"));
    }

    void testCacheOnlyBuildGetsItsRef()
    {
        BuildSummary s;
        s.ref = "r1";
        BuildOutputs::addBuildxKeys(s, "b", true);
        CPPUNIT_ASSERT_EQUAL(std::string("b/b0/r1"),
                             parsed(s.metadata)->getValue<std::string>("buildx.build.ref"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildOutputsTest);
