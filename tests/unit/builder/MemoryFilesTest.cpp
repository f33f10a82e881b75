// The helper's stdin protocol for a build: the values, then one tar per directory, unpacked
// before the command starts; a cut stream is refused with its reason and read to its end.

#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "buildrun/Progress.h"

#include "base/Digest.h"
#include "base/TarWriter.h"
#include "fakes/TempDir.h"

#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hoist;

class MemoryFilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MemoryFilesTest);
    CPPUNIT_TEST(testArgvNamesTheDirectoriesBeforeTheCommand);
    CPPUNIT_TEST(testUnpacksEachTarInOrderBeforeTheCommand);
    CPPUNIT_TEST(testReportsTheFilesTheCommandWroteForHoist);
    CPPUNIT_TEST(testCutStreamIsRefusedAtOnce);
    CPPUNIT_TEST(testUnpackFailureLeavesTheRestUnread);
    CPPUNIT_TEST(testMirrorTakesTheChangeOnlyWhenLockedAndUnchanged);
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
        const std::vector<std::string> want = {"/h",       "__files",  "2",    "--unpack", "/a",
                                               "--mirror", "/m",       "d1",   "--unpack", "/b",
                                               "--",       "buildctl", "build"};
        CPPUNIT_ASSERT(
            want == builder::MemoryFiles::argv(
                        "/h", 2, {"buildctl", "build"},
                        {builder::Unpack::into("/a"), {"/m", "d1"}, builder::Unpack::into("/b")}));
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

    void testReportsTheFilesTheCommandWroteForHoist()
    {
        test::TempDir d;
        const std::string ref = d.path() + "/ref", meta = d.path() + "/metadata.json";
        std::istringstream in;
        std::ostringstream err;
        // The command (buildctl's part played by sh) writes its ref file, not its metadata.
        const int rc =
            builder::MemoryFiles::main({"0", "--", "/bin/sh", "-c", "printf abc > \"$1\"; exit 3",
                                        "sh", ref, "--ref-file", ref, "--metadata-file", meta},
                                       in, err);
        CPPUNIT_ASSERT_EQUAL(3, rc); // its exit code, once it ended
        buildrun::Progress p([](const buildrun::StepEvent&) {});
        p.feed(err.str().data(), err.str().size());
        p.finish();
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), p.reported().at(ref).value_or(""));
        CPPUNIT_ASSERT(!p.reported().at(meta).has_value());
    }

    // The helper's run with mirror m expected to have digest, its change removals and tar, and
    // the manifest m has once changed (its listing when "").
    static int applied(const std::string& m, const std::string& digest, const std::string& removals,
                       const std::string& changed, std::string& err,
                       const std::string& manifest = "")
    {
        std::istringstream in(builder::MemoryFiles::frame({removals, manifest}) + changed);
        std::ostringstream said;
        const int rc = builder::MemoryFiles::main(
            {"0", "--mirror", m, digest, "--", m + ".no-such-command"}, in, said);
        err = said.str();
        return rc;
    }

    void testMirrorTakesTheChangeOnlyWhenLockedAndUnchanged()
    {
        test::TempDir d;
        const std::string m = d.path() + "/mirrors/key";
        std::string err;
        // A first build: no mirror yet, everything sent.
        std::ostringstream both;
        base::TarWriter w(both);
        base::TarWriter::Entry e;
        e.name = "a";
        e.mode = 0644;
        w.addFile(e, std::string("one"));
        e.name = "gone";
        e.mode = 0600;
        w.addFile(e, std::string("x"));
        w.finish();
        CPPUNIT_ASSERT_EQUAL(
            127, applied(m, builder::Mirror::digest(""), "", both.str(), err, "first manifest"));
        CPPUNIT_ASSERT_EQUAL(0600u, modeOf(m + "/gone"));
        // What the mirror is said to be is the manifest its change came with, kept beside it:
        // neither a listing nor the next check walks it.
        CPPUNIT_ASSERT_EQUAL(std::string("first manifest"), builder::Mirror::current(m));
        std::ostringstream printed, none;
        CPPUNIT_ASSERT_EQUAL(0, builder::Mirror::listMain({m}, printed, none));
        CPPUNIT_ASSERT_EQUAL(std::string("first manifest"), printed.str());
        // Its walk: the tar's times are whole seconds, so each file has its content digest.
        const auto entries = builder::Mirror::parse(builder::Mirror::list(m));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a"), entries[0].path);
        CPPUNIT_ASSERT_EQUAL(base::sha256Hex("one"), entries[0].hash);
        // The next: a file removed, one changed.
        const std::string listed = builder::Mirror::current(m);
        CPPUNIT_ASSERT_EQUAL(127,
                             applied(m, builder::Mirror::digest(listed), std::string("gone\0", 5),
                                     tar("a", "two", 0644), err, "second manifest"));
        CPPUNIT_ASSERT(!Poco::File(m + "/gone").exists());
        std::ifstream a(m + "/a");
        std::string content;
        std::getline(a, content);
        CPPUNIT_ASSERT_EQUAL(std::string("two"), content);
        CPPUNIT_ASSERT_EQUAL(std::string("second manifest"), builder::Mirror::current(m));
        // A change made against what it was before is refused, nothing applied.
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::STALE, applied(m, builder::Mirror::digest(listed), "",
                                                             tar("a", "3", 0644), err));
        CPPUNIT_ASSERT(err.find("is not the one the change was told from") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("second manifest"), builder::Mirror::current(m));
        // Without a kept manifest (a change cut short, an older hoist's mirror) the mirror is
        // walked.
        CPPUNIT_ASSERT(builder::Mirror::forget(m).empty());
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::list(m), builder::Mirror::current(m));
        // Another build holding it: busy.
        const int held = ::open((m + ".lock").c_str(), O_RDWR);
        CPPUNIT_ASSERT_EQUAL(0, ::flock(held, LOCK_EX));
        CPPUNIT_ASSERT_EQUAL(builder::Mirror::BUSY,
                             applied(m, builder::Mirror::digest(builder::Mirror::current(m)), "",
                                     tar("a", "4", 0644), err));
        ::close(held);
        // Paths that leave the mirror are never removed.
        CPPUNIT_ASSERT(!builder::Mirror::remove(m, std::string("../x\0", 5)).empty());
        // A change the mirror cannot take whole removes it: no half a mirror stays to fill a disk.
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir((d.path() + "/mirrors/x").c_str(), 0700));
        CPPUNIT_ASSERT(applied(m, builder::Mirror::digest(builder::Mirror::current(m)),
                               std::string("../x\0", 5), tar("a", "5", 0644), err,
                               "third manifest") != 0);
        CPPUNIT_ASSERT(err.find("refusing to remove ../x") != std::string::npos);
        CPPUNIT_ASSERT(!Poco::File(m).exists());
        CPPUNIT_ASSERT(!Poco::File(m + ".manifest").exists());
        CPPUNIT_ASSERT_EQUAL(std::string(), builder::Mirror::current(m));
        CPPUNIT_ASSERT(Poco::File(d.path() + "/mirrors/x").exists());
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
