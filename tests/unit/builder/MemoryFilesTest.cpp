// The helper's stdin protocol for a build: the values, then one tar per directory, unpacked
// before the command starts; a cut stream is refused with its reason and read to its end.

#include "builder/MemoryFiles.h"

#include "base/TarWriter.h"
#include "fakes/TempDir.h"

#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace hoist;

class MemoryFilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MemoryFilesTest);
    CPPUNIT_TEST(testArgvNamesTheDirectoriesBeforeTheCommand);
    CPPUNIT_TEST(testUnpacksEachTarInOrderBeforeTheCommand);
    CPPUNIT_TEST(testCutStreamIsRefusedAtOnce);
    CPPUNIT_TEST(testUnpackFailureLeavesTheRestUnread);
    CPPUNIT_TEST_SUITE_END();

public:
    static std::string tar(const std::string& name, const std::string& content, unsigned mode)
    {
        std::ostringstream out;
        base::TarWriter w(out);
        base::TarWriter::Entry e;
        e.name = name;
        e.mode = mode;
        w.addFile(e, content);
        w.finish();
        return out.str();
    }

    static unsigned modeOf(const std::string& path)
    {
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
        return static_cast<unsigned>(st.st_mode & 07777);
    }

    void testArgvNamesTheDirectoriesBeforeTheCommand()
    {
        const std::vector<std::string> want = {"/h",       "__files", "2",  "--unpack", "/a",
                                               "--unpack", "/b",      "--", "buildctl", "build"};
        CPPUNIT_ASSERT(want ==
                       builder::MemoryFiles::argv("/h", 2, {"buildctl", "build"}, {"/a", "/b"}));
    }

    void testUnpacksEachTarInOrderBeforeTheCommand()
    {
        test::TempDir d;
        const std::string config = d.path() + "/tmp/cfg", work = d.path() + "/state/w";
        std::istringstream in(tar("config.json", "{}", 0600) +
                              tar("context/run.sh", "echo\n", 04755));
        std::ostringstream err;
        // No such command: the helper returns after unpacking instead of replacing this process.
        const int rc = builder::MemoryFiles::main(
            {"0", "--unpack", config, "--unpack", work, "--", d.path() + "/no-such-command"}, in,
            err);
        CPPUNIT_ASSERT_EQUAL(127, rc);
        CPPUNIT_ASSERT(err.str().find("cannot run " + d.path() + "/no-such-command") !=
                       std::string::npos);
        CPPUNIT_ASSERT(Poco::File(config + "/config.json").exists());
        CPPUNIT_ASSERT_EQUAL(0600u, modeOf(config + "/config.json"));
        CPPUNIT_ASSERT_EQUAL(0700u, modeOf(config));
        CPPUNIT_ASSERT_EQUAL(0700u, modeOf(work));
        CPPUNIT_ASSERT_EQUAL(04755u, modeOf(work + "/context/run.sh"));
    }

    void testCutStreamIsRefusedAtOnce()
    {
        test::TempDir d;
        std::string whole = tar("context/big", std::string(4096, 'x'), 0644);
        std::istringstream in(whole.substr(0, 2048));
        std::ostringstream err;
        const int rc = builder::MemoryFiles::main(
            {"0", "--unpack", d.path() + "/w", "--", d.path() + "/no-such-command"}, in, err);
        CPPUNIT_ASSERT_EQUAL(builder::MemoryFiles::UNPACK_FAILED, rc);
        CPPUNIT_ASSERT(err.str().find("hoist files: cannot unpack: ") == 0);
        CPPUNIT_ASSERT(err.str().find("cut off") != std::string::npos);
        CPPUNIT_ASSERT(in.eof());
    }

    void testUnpackFailureLeavesTheRestUnread()
    {
        // The first directory cannot be made (a file is in the way): the refusal comes before
        // the stream is read, not after a large context has been sent for nothing.
        test::TempDir d;
        std::ofstream(d.path() + "/taken") << "a file";
        const std::string whole =
            tar("context/a", "a", 0644) + tar("context/big", std::string(1 << 20, 'x'), 0644);
        std::istringstream in(whole);
        std::ostringstream err;
        const int rc =
            builder::MemoryFiles::main({"0", "--unpack", d.path() + "/taken/w", "--unpack",
                                        d.path() + "/w2", "--", d.path() + "/no-such-command"},
                                       in, err);
        CPPUNIT_ASSERT_EQUAL(builder::MemoryFiles::UNPACK_FAILED, rc);
        CPPUNIT_ASSERT(err.str().find("hoist files: cannot unpack: ") == 0);
        CPPUNIT_ASSERT(!in.eof());
        CPPUNIT_ASSERT(in.tellg() < static_cast<std::streamoff>(whole.size()));
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/w2").exists());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MemoryFilesTest);
