// The mirrors beside each other: where memory is short, the ones no build holds give way, least
// recently used first; a mirror's lock is taken on the file its name has.

#include "builder/Mirror.h"
#include "fakes/TempDir.h"

#include <Poco/File.h>
#include <Poco/Timestamp.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using hoist::builder::Mirror;
using hoist::test::TempDir;

class MirrorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MirrorTest);
    CPPUNIT_TEST(testLeastRecentlyUsedGiveWayOverTheCount);
    CPPUNIT_TEST(testHeldMirrorsStayWhenRoomIsShort);
    CPPUNIT_TEST(testOnlyTheBuildersMemoryMakesRoom);
    CPPUNIT_TEST(testLockIsTakenAgainAfterTheMirrorWasRemoved);
    CPPUNIT_TEST_SUITE_END();

public:
    // A mirror named name in d, with one file, its manifest and its lock, last used secondsAgo.
    static std::string mirror(TempDir& d, const std::string& name, int secondsAgo)
    {
        d.write(name + "/f", name);
        d.write(name + ".manifest", Mirror::list(d.path() + "/" + name));
        d.write(name + ".lock", "");
        Poco::File(d.path() + "/" + name + ".lock")
            .setLastModified(Poco::Timestamp() -
                             Poco::Timestamp::TimeDiff(secondsAgo) * Poco::Timestamp::resolution());
        return d.path() + "/" + name;
    }

    void testLeastRecentlyUsedGiveWayOverTheCount()
    {
        TempDir d;
        mirror(d, "old", 300);
        mirror(d, "older", 400);
        mirror(d, "new", 100);
        const std::string mine = mirror(d, "mine", 500); // the one a build changes: never
        const auto removed = Mirror::makeRoom(d.path(), mine, 1, 0);
        CPPUNIT_ASSERT(
            (removed == std::vector<std::string>{d.path() + "/older", d.path() + "/old"}));
        CPPUNIT_ASSERT((d.list() == std::vector<std::string>{"mine", "mine.lock", "mine.manifest",
                                                             "new", "new.lock", "new.manifest"}));
        CPPUNIT_ASSERT(Mirror::makeRoom(d.path(), mine, 1, 0).empty()); // within: nothing goes
    }

    void testHeldMirrorsStayWhenRoomIsShort()
    {
        TempDir d;
        const std::string held = mirror(d, "held", 300);
        mirror(d, "idle", 100);
        const int fd = ::open((held + ".lock").c_str(), O_RDWR | O_CLOEXEC);
        CPPUNIT_ASSERT(fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0);
        // More free room asked than any file system has: every mirror no build holds goes.
        const auto removed = Mirror::makeRoom(d.path(), "", 5, ~0ull);
        ::close(fd);
        CPPUNIT_ASSERT((removed == std::vector<std::string>{d.path() + "/idle"}));
        CPPUNIT_ASSERT(Poco::File(held + "/f").exists());
    }

    void testOnlyTheBuildersMemoryMakesRoom()
    {
        TempDir d;
        mirror(d, "a", 100);
        Mirror::makeRoomFor(d.path() + "/hoist-build-x", ""); // not under the builder's memory
        CPPUNIT_ASSERT(Poco::File(d.path() + "/a/f").exists());
    }

    void testLockIsTakenAgainAfterTheMirrorWasRemoved()
    {
        TempDir d;
        const std::string dir = mirror(d, "m", 10);
        int fd = -1;
        std::string why;
        // Told as it is now: locked; a second build is refused while the first holds it.
        const std::string digest = Mirror::digest(Mirror::current(dir));
        CPPUNIT_ASSERT_EQUAL(0, Mirror::lock(dir, digest, fd, why));
        int other = -1;
        CPPUNIT_ASSERT_EQUAL(int(Mirror::BUSY), Mirror::lock(dir, digest, other, why));
        CPPUNIT_ASSERT(Mirror::makeRoom(d.path(), "", 0, 0).empty()); // held: it stays
        ::close(fd);
        // Gone once let go; the next build finds none and takes a new lock.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), Mirror::makeRoom(d.path(), "", 0, 0).size());
        CPPUNIT_ASSERT_EQUAL(0, Mirror::lock(dir, Mirror::digest(""), fd, why));
        ::close(fd);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MirrorTest);
