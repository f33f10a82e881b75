// base::makeDirs: what two processes making one work directory at once rely on.

#include "base/Files.h"
#include "fakes/TempDir.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

using namespace hoist;

class FilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FilesTest);
    CPPUNIT_TEST(testMakesMissingParentsWithTheMode);
    CPPUNIT_TEST(testLeavesWhatExistsAsItIs);
    CPPUNIT_TEST(testNamesThePathThatCannotBeMade);
    CPPUNIT_TEST_SUITE_END();

public:
    static unsigned modeOf(const std::string& path)
    {
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
        CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
        return static_cast<unsigned>(st.st_mode & 0777);
    }

    void testMakesMissingParentsWithTheMode()
    {
        test::TempDir d;
        base::makeDirs(d.path() + "/a/b/c", 0700);
        CPPUNIT_ASSERT_EQUAL(0700u, modeOf(d.path() + "/a"));
        CPPUNIT_ASSERT_EQUAL(0700u, modeOf(d.path() + "/a/b/c"));
    }

    void testLeavesWhatExistsAsItIs()
    {
        test::TempDir d;
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir((d.path() + "/open").c_str(), 0755));
        ::chmod((d.path() + "/open").c_str(), 0755);
        base::makeDirs(d.path() + "/open", 0700); // made by another process meanwhile
        base::makeDirs(d.path() + "/open/inner", 0700);
        CPPUNIT_ASSERT_EQUAL(0755u, modeOf(d.path() + "/open"));
        CPPUNIT_ASSERT_EQUAL(0700u, modeOf(d.path() + "/open/inner"));
    }

    void testNamesThePathThatCannotBeMade()
    {
        test::TempDir d;
        d.write("file", "x");
        try
        {
            base::makeDirs(d.path() + "/file/sub", 0700);
            CPPUNIT_FAIL("a directory under a file was made");
        }
        catch (const Poco::CreateFileException& e)
        {
            CPPUNIT_ASSERT(e.message().find("cannot create " + d.path() + "/file/sub") == 0);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FilesTest);
