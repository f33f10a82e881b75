// The state directory's attributes: listed by the helper's walk, carried as JSON, restored
// through a tar whose PAX records name them.

#include "builder/StateAttrs.h"

#include "base/TarReader.h"
#include "fakes/TempDir.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>
#include <sys/xattr.h>

using namespace hoist;

class StateAttrsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StateAttrsTest);
    CPPUNIT_TEST(testJsonRoundTripWithBinaryValues);
    CPPUNIT_TEST(testTarCarriesTheAttributes);
    CPPUNIT_TEST(testWalkFindsUserAttributes);
    CPPUNIT_TEST(testPathsOutsideTheStateAreRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testJsonRoundTripWithBinaryValues()
    {
        builder::StateAttrs::Listing l;
        builder::StateAttrs::Dir d;
        d.path = "buildkit/runc-overlayfs/snapshots/snapshots/12/fs/etc";
        d.mode = 0750;
        d.uid = 1000;
        d.mtime = 1700000000;
        d.xattrs["trusted.overlay.opaque"] = "y";
        d.xattrs["user.bin"] = std::string("\0\x01\xff", 3);
        l.dirs.push_back(d);
        l.lost = 2;
        const auto back = builder::StateAttrs::fromJson(builder::StateAttrs::toJson(l));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), back.lost);
        CPPUNIT_ASSERT_EQUAL(d.path, back.dirs.at(0).path);
        CPPUNIT_ASSERT_EQUAL(0750u, back.dirs.at(0).mode);
        CPPUNIT_ASSERT_EQUAL(1000u, back.dirs.at(0).uid);
        CPPUNIT_ASSERT(back.dirs.at(0).xattrs == d.xattrs);
    }

    void testTarCarriesTheAttributes()
    {
        builder::StateAttrs::Listing l;
        builder::StateAttrs::Dir d;
        d.path = "buildkit/a";
        d.xattrs["trusted.overlay.opaque"] = "y";
        l.dirs.push_back(d);
        std::ostringstream out;
        builder::StateAttrs::writeTar(l, out);
        const std::string tar = out.str();
        CPPUNIT_ASSERT(tar.find("SCHILY.xattr.trusted.overlay.opaque=y\n") != std::string::npos);
        std::istringstream in(tar);
        std::vector<std::string> names;
        base::TarReader::read(in, [&](base::TarReader::Entry& e) { names.push_back(e.name); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), names.size());
        CPPUNIT_ASSERT_EQUAL(std::string("buildkit/a/"), names[0]);
    }

    void testWalkFindsUserAttributes()
    {
        test::TempDir dir;
        dir.write("buildkit/snap/fs/keep/file", "x");
        dir.write("buildkit/snap/fs/plain/file", "x");
        const std::string opaque = dir.path() + "/buildkit/snap/fs/keep";
        if (::setxattr(opaque.c_str(), "user.overlay.opaque", "y", 1, 0) != 0)
            return; // a file system without user attributes (tmpfs before 6.6): nothing to see
        const std::string file = dir.path() + "/buildkit/snap/fs/plain/file";
        ::setxattr(file.c_str(), "user.note", "n", 1, 0);
        std::ostringstream out, err;
        CPPUNIT_ASSERT_EQUAL(0, builder::StateAttrs::main({dir.path() + "/buildkit/"}, out, err));
        const auto l = builder::StateAttrs::fromJson(out.str());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), l.dirs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("buildkit/snap/fs/keep"), l.dirs[0].path);
        CPPUNIT_ASSERT_EQUAL(std::string("y"), l.dirs[0].xattrs.at("user.overlay.opaque"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), l.lost);
        CPPUNIT_ASSERT_EQUAL(1, builder::StateAttrs::main({"relative"}, out, err));
    }

    void testPathsOutsideTheStateAreRefused()
    {
        CPPUNIT_ASSERT_THROW(
            builder::StateAttrs::fromJson(
                "{\"dirs\":[{\"path\":\"../etc\",\"mode\":493,\"uid\":0,\"gid\":0,\"mtime\":0,"
                "\"xattrs\":{}}],\"lost\":0}"),
            Poco::DataFormatException);
        CPPUNIT_ASSERT_THROW(builder::StateAttrs::fromJson("[]"), Poco::DataFormatException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StateAttrsTest);
