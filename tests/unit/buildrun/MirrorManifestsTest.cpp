// The mirrors' manifests this machine keeps: one per builder container and mirror, forgotten
// before a change, and gone after a week unused.

#include "buildrun/MirrorManifests.h"
#include "fakes/TempDir.h"

#include <Poco/File.h>
#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::buildrun;
using hoist::test::TempDir;

class MirrorManifestsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MirrorManifestsTest);
    CPPUNIT_TEST(testKeptPerContainerAndMirror);
    CPPUNIT_TEST(testUnusedForAWeekIsRemoved);
    CPPUNIT_TEST(testNoDirectoryKeepsNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKeptPerContainerAndMirror()
    {
        TempDir d;
        MirrorManifests m(d.path() + "/mirrors");
        CPPUNIT_ASSERT(!m.find("c1", "/m/a"));
        m.keep("c1", "/m/a", "manifest of a");
        m.keep("c1", "/m/b", "");
        CPPUNIT_ASSERT_EQUAL(std::string("manifest of a"), m.find("c1", "/m/a").value_or("?"));
        CPPUNIT_ASSERT_EQUAL(std::string(), m.find("c1", "/m/b").value_or("?")); // an empty context
        CPPUNIT_ASSERT(!m.find("c2", "/m/a")); // another container: its own mirror
        CPPUNIT_ASSERT(!m.find("", "/m/a"));   // a builder with no identity keeps none
        m.forget("c1", "/m/a");
        CPPUNIT_ASSERT(!m.find("c1", "/m/a"));
        CPPUNIT_ASSERT(m.find("c1", "/m/b"));
    }

    void testUnusedForAWeekIsRemoved()
    {
        TempDir d;
        MirrorManifests m(d.path());
        m.keep("c1", "/m/old", "old");
        std::vector<std::string> names;
        Poco::File(d.path()).list(names);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), names.size());
        Poco::File(d.path() + "/" + names[0])
            .setLastModified(Poco::Timestamp() - 8LL * 24 * 3600 * Poco::Timestamp::resolution());
        d.write("other-file", "not a manifest"); // not this class's: left alone
        m.keep("c1", "/m/new", "new");
        CPPUNIT_ASSERT(!m.find("c1", "/m/old"));
        CPPUNIT_ASSERT(m.find("c1", "/m/new"));
        CPPUNIT_ASSERT(Poco::File(d.path() + "/other-file").exists());
    }

    void testNoDirectoryKeepsNothing()
    {
        MirrorManifests m("");
        m.keep("c1", "/m/a", "x");
        CPPUNIT_ASSERT(!m.find("c1", "/m/a"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MirrorManifestsTest);
