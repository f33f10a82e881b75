#include "base/TarExtractor.h"
#include "base/AtomicFile.h"
#include "base/TarWriter.h"
#include "fakes/TempDir.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

using namespace hoist::base;
using hoist::test::TempDir;

// A stream that breaks off after limit bytes, as a dropped engine connection does.
class BrokenBuf : public std::streambuf
{
public:
    BrokenBuf(std::string data, std::size_t limit) : _data(std::move(data)), _limit(limit) {}

protected:
    int_type underflow() override
    {
        if (_pos >= _limit)
            throw Poco::IOException("connection reset");
        _c = _data[_pos++];
        setg(&_c, &_c, &_c + 1);
        return traits_type::to_int_type(_c);
    }

private:
    std::string _data;
    std::size_t _limit;
    std::size_t _pos = 0;
    char _c = 0;
};

class TarExtractorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TarExtractorTest);
    CPPUNIT_TEST(testNeverWritesThroughASymlinkInDest);
    CPPUNIT_TEST(testNeverEntersASymlinkedDirectory);
    CPPUNIT_TEST(testDottedNamesKeptParentComponentsRefused);
    CPPUNIT_TEST(testModesTimesAndLinksKept);
    CPPUNIT_TEST(testHeldFilesComeLast);
    CPPUNIT_TEST(testAtomicFileReplacesOnlyOnCommit);
    CPPUNIT_TEST(testSpecialBitsOnlyWhenAsked);
    CPPUNIT_TEST_SUITE_END();

public:
    using Add = std::function<void(TarWriter&)>;

    static std::string tar(const Add& add)
    {
        std::ostringstream out;
        TarWriter w(out);
        add(w);
        w.finish();
        return out.str();
    }

    static TarWriter::Entry entry(const std::string& name, unsigned mode = 0644)
    {
        TarWriter::Entry e;
        e.name = name;
        e.mode = mode;
        e.mtime = 1700000000;
        e.mtimeNsec = 987654321;
        return e;
    }

    static std::string read(const std::string& path)
    {
        Poco::FileInputStream in(path);
        std::string s;
        Poco::StreamCopier::copyToString(in, s);
        return s;
    }

    static std::size_t extract(const std::string& dir, const std::string& data,
                               std::set<std::string> last = {})
    {
        std::istringstream in(data);
        return TarExtractor(dir, std::move(last)).extract(in);
    }

    void testNeverWritesThroughASymlinkInDest()
    {
        TempDir d;
        d.write("victim.txt", "keep me");
        d.write("dest/.keep", "");
        // A first build left report.txt -> the victim; the second writes a real report.txt.
        CPPUNIT_ASSERT_EQUAL(0, ::symlink((d.path() + "/victim.txt").c_str(),
                                          (d.path() + "/dest/report.txt").c_str()));
        extract(d.path() + "/dest",
                tar([](TarWriter& w) { w.addFile(entry("report.txt"), "new"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("keep me"), read(d.path() + "/victim.txt"));
        CPPUNIT_ASSERT_EQUAL(std::string("new"), read(d.path() + "/dest/report.txt"));
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, ::lstat((d.path() + "/dest/report.txt").c_str(), &st));
        CPPUNIT_ASSERT(S_ISREG(st.st_mode));
    }

    void testNeverEntersASymlinkedDirectory()
    {
        TempDir d;
        d.write("outside/.keep", "");
        d.write("dest/.keep", "");
        CPPUNIT_ASSERT_EQUAL(
            0, ::symlink((d.path() + "/outside").c_str(), (d.path() + "/dest/sub").c_str()));
        // The same tar may also plant the link itself, then write through it.
        extract(d.path() + "/dest", tar(
                                        [&](TarWriter& w)
                                        {
                                            w.addFile(entry("sub/planted"), "x");
                                            w.addSymlink(entry("up"), d.path() + "/outside");
                                            w.addFile(entry("up/planted2"), "y");
                                        }));
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/outside/planted").exists());
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/outside/planted2").exists());
        CPPUNIT_ASSERT_EQUAL(std::string("x"), read(d.path() + "/dest/sub/planted"));
        CPPUNIT_ASSERT_EQUAL(std::string("y"), read(d.path() + "/dest/up/planted2"));
    }

    void testDottedNamesKeptParentComponentsRefused()
    {
        TempDir d;
        std::size_t n =
            extract(d.path() + "/dest", tar(
                                            [](TarWriter& w)
                                            {
                                                w.addFile(entry("v1..2.txt"), "a");
                                                w.addFile(entry("..hidden"), "b");
                                                w.addFile(entry("./dir/x..y/z"), "c");
                                                w.addFile(entry("../escape"), "d");
                                                w.addFile(entry("dir/../../escape2"), "e");
                                            }));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), n);
        CPPUNIT_ASSERT_EQUAL(std::string("a"), read(d.path() + "/dest/v1..2.txt"));
        CPPUNIT_ASSERT_EQUAL(std::string("b"), read(d.path() + "/dest/..hidden"));
        CPPUNIT_ASSERT_EQUAL(std::string("c"), read(d.path() + "/dest/dir/x..y/z"));
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/escape").exists());
        CPPUNIT_ASSERT(!Poco::File(d.path() + "/escape2").exists());
    }

    void testModesTimesAndLinksKept()
    {
        TempDir d;
        extract(d.path() + "/dest", tar(
                                        [](TarWriter& w)
                                        {
                                            w.addDirectory(entry("bin", 0750));
                                            w.addFile(entry("bin/run", 0755), "#!/bin/sh\n");
                                            w.addFile(entry("secret", 0600), "s");
                                            w.addSymlink(entry("latest"), "bin/run");
                                        }));
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, ::stat((d.path() + "/dest/bin/run").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0755u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(1700000000), st.st_mtim.tv_sec);
        CPPUNIT_ASSERT_EQUAL(987654321L, static_cast<long>(st.st_mtim.tv_nsec));
        CPPUNIT_ASSERT_EQUAL(0, ::stat((d.path() + "/dest/secret").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(0, ::stat((d.path() + "/dest/bin").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0750u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(987654321L, static_cast<long>(st.st_mtim.tv_nsec));
        CPPUNIT_ASSERT_EQUAL(0, ::lstat((d.path() + "/dest/latest").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(987654321L, static_cast<long>(st.st_mtim.tv_nsec));
        char target[64] = {0};
        CPPUNIT_ASSERT(::readlink((d.path() + "/dest/latest").c_str(), target, 63) > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("bin/run"), std::string(target));
    }

    void testSpecialBitsOnlyWhenAsked()
    {
        // A build's output never gets set-ID bits; a build context keeps them, as docker cp does.
        const std::string data = tar(
            [](TarWriter& w)
            {
                w.addDirectory(entry("shared", 01777));
                w.addFile(entry("shared/tool", 04755), "x");
            });
        TempDir d;
        for (bool keep : {false, true})
        {
            const std::string dest = d.path() + (keep ? "/kept" : "/masked");
            TarExtractor x(dest);
            x.setSpecialBits(keep);
            std::istringstream in(data);
            x.extract(in);
            struct stat st;
            CPPUNIT_ASSERT_EQUAL(0, ::stat((dest + "/shared/tool").c_str(), &st));
            CPPUNIT_ASSERT_EQUAL(keep ? 04755u : 0755u, static_cast<unsigned>(st.st_mode & 07777));
            CPPUNIT_ASSERT_EQUAL(0, ::stat((dest + "/shared").c_str(), &st));
            CPPUNIT_ASSERT_EQUAL(keep ? 01777u : 0777u, static_cast<unsigned>(st.st_mode & 07777));
        }
    }

    void testHeldFilesComeLast()
    {
        TempDir d;
        d.write("dest/index.json", "old");
        // The export breaks off in the blob after index.json: index.json, which came first, must
        // not have been written.
        std::string data = tar(
            [](TarWriter& w)
            {
                w.addFile(entry("index.json"), "new");
                w.addFile(entry("blobs/sha256/aa"), std::string(4096, 'b'));
            });
        BrokenBuf broken(data, 1024 + 512 + 100); // (the istream turns the throw into an end)
        std::istream in(&broken);
        TarExtractor extractor(d.path() + "/dest", std::set<std::string>{"index.json"});
        CPPUNIT_ASSERT_THROW(extractor.extract(in), Poco::DataFormatException);
        CPPUNIT_ASSERT_EQUAL(std::string("old"), read(d.path() + "/dest/index.json"));
        extract(d.path() + "/dest", data, {"index.json"});
        CPPUNIT_ASSERT_EQUAL(std::string("new"), read(d.path() + "/dest/index.json"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4096), read(d.path() + "/dest/blobs/sha256/aa").size());
    }

    void testAtomicFileReplacesOnlyOnCommit()
    {
        TempDir d;
        d.write("out.tar", "good");
        {
            AtomicFile f(d.path() + "/out.tar");
            f.write("half", 4);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("good"), read(d.path() + "/out.tar"));
        AtomicFile::put(d.path() + "/out.tar", "better");
        CPPUNIT_ASSERT_EQUAL(std::string("better"), read(d.path() + "/out.tar"));
        std::vector<std::string> names;
        Poco::File(d.path()).list(names);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), names.size()); // no temporary left
        auto missingDir = [&] { AtomicFile f(d.path() + "/no/such/dir/x"); };
        CPPUNIT_ASSERT_THROW(missingDir(), Poco::CreateFileException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TarExtractorTest);
