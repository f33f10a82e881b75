// What a file sync comparing stat cannot see: the digest of a context's files whose mtimes are
// whole seconds changes with their content, and only with theirs.

#include "buildrun/ContextTar.h"

#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>

using namespace hoist;
using namespace hoist::buildrun;

namespace
{

// Writes text to path and sets its mtime to sec.nsec.
void write(const std::string& path, const std::string& text, long sec, long nsec)
{
    std::ofstream(path, std::ios::binary) << text;
    const struct timespec times[2] = {{sec, nsec}, {sec, nsec}};
    CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, path.c_str(), times, 0));
}

std::string digestOf(const std::string& dir)
{
    DockerIgnore none;
    base::Problems problems;
    const std::string d = ContextTar::scan(dir, none, problems).wholeSecondDigest();
    CPPUNIT_ASSERT(problems.empty());
    return d;
}

} // namespace

class ContextTarTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContextTarTest);
    CPPUNIT_TEST(testWholeSecondFilesKeyTheirContent);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWholeSecondFilesKeyTheirContent()
    {
        test::TempDir d;
        write(d.path() + "/fine", "one", 1700000000, 123);
        CPPUNIT_ASSERT_EQUAL(std::string(), digestOf(d.path())); // stat tells versions apart
        write(d.path() + "/set", "AAAA", 1700000000, 0);         // as an archive leaves it
        const std::string before = digestOf(d.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), before.size());
        write(d.path() + "/fine", "two", 1700000000, 456);
        CPPUNIT_ASSERT_EQUAL(before, digestOf(d.path()));
        write(d.path() + "/set", "BBBB", 1700000000, 0); // same size, same time, new bytes
        const std::string after = digestOf(d.path());
        CPPUNIT_ASSERT(after != before);
        write(d.path() + "/set", "AAAA", 1700000000, 0);
        CPPUNIT_ASSERT_EQUAL(before, digestOf(d.path()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContextTarTest);
