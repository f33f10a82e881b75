#include "base/TarWriter.h"
#include "base/TarReader.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>
#include <utility>
#include <vector>

using namespace hoist::base;

namespace
{

// Returns the checksum a tar reader computes for a 512-byte header.
unsigned checksum(const std::string& h)
{
    unsigned sum = 0;
    for (std::size_t i = 0; i < 512; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    return sum;
}

} // namespace

class TarWriterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TarWriterTest);
    CPPUNIT_TEST(testFileHeaderAndPadding);
    CPPUNIT_TEST(testLongNameGetsPaxRecord);
    CPPUNIT_TEST(testSubSecondTimeGetsPaxRecordAndReadsBack);
    CPPUNIT_TEST(testDirectoryAndSymlink);
    CPPUNIT_TEST(testShortStreamIsAnError);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFileHeaderAndPadding()
    {
        std::ostringstream out;
        TarWriter tar(out);
        TarWriter::Entry e;
        e.name = "dir/hello.txt";
        e.mode = 0600;
        e.mtime = 1700000000;
        tar.addFile(e, std::string("hello"));
        tar.finish();
        std::string t = out.str();
        CPPUNIT_ASSERT_EQUAL(std::size_t(512 + 512 + 1024), t.size());
        CPPUNIT_ASSERT_EQUAL(std::string("dir/hello.txt"), std::string(t.c_str()));
        CPPUNIT_ASSERT_EQUAL(std::string("0000600"), t.substr(100, 7));
        CPPUNIT_ASSERT_EQUAL(std::string("00000000005"), t.substr(124, 11));
        CPPUNIT_ASSERT_EQUAL('0', t[156]);
        CPPUNIT_ASSERT_EQUAL(std::string("ustar"), t.substr(257, 5));
        CPPUNIT_ASSERT_EQUAL(checksum(t),
                             static_cast<unsigned>(std::stoul(t.substr(148, 6), nullptr, 8)));
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), t.substr(512, 5));
        CPPUNIT_ASSERT_EQUAL(std::string(512 - 5 + 1024, '\0'), t.substr(517));
    }

    void testLongNameGetsPaxRecord()
    {
        std::ostringstream out;
        TarWriter tar(out);
        TarWriter::Entry e;
        e.name = std::string(150, 'a') + "/file";
        tar.addFile(e, std::string("x"));
        std::string t = out.str();
        CPPUNIT_ASSERT_EQUAL('x', t[156]);
        std::string record = "165 path=" + e.name + "\n"; // 3 + 1 + 4 + 1 + 155 + 1 bytes
        CPPUNIT_ASSERT_EQUAL(record, t.substr(512, record.size()));
        CPPUNIT_ASSERT_EQUAL('0', t[1024 + 156]);
    }

    void testSubSecondTimeGetsPaxRecordAndReadsBack()
    {
        // BuildKit's file sync tells changed files by size and mtime to the nanosecond: a time
        // cut to seconds makes two versions of a file look the same.
        std::ostringstream out;
        TarWriter tar(out);
        TarWriter::Entry e;
        e.name = "f";
        e.mtime = 1700000000;
        e.mtimeNsec = 123456700;
        tar.addFile(e, std::string("x"));
        e.name = "old";
        e.mtime = -2; // -1.5 s: before the epoch the fraction counts towards zero
        e.mtimeNsec = 500000000;
        tar.addFile(e, std::string("y"));
        e.name = "whole";
        e.mtime = 1700000001;
        e.mtimeNsec = 0;
        tar.addFile(e, std::string("z"));
        tar.finish();
        const std::string t = out.str();
        CPPUNIT_ASSERT_EQUAL('x', t[156]);
        CPPUNIT_ASSERT(t.find("28 mtime=1700000000.1234567\n") != std::string::npos);
        CPPUNIT_ASSERT(t.find("mtime=-1.5\n") != std::string::npos);

        std::istringstream in(t);
        std::vector<std::pair<std::int64_t, std::uint32_t>> times;
        TarReader::read(in, [&](TarReader::Entry& r) { times.emplace_back(r.mtime, r.mtimeNsec); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), times.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1700000000), times[0].first);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(123456700), times[0].second);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-2), times[1].first);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(500000000), times[1].second);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1700000001), times[2].first);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), times[2].second);
    }

    void testDirectoryAndSymlink()
    {
        std::ostringstream out;
        TarWriter tar(out);
        TarWriter::Entry e;
        e.name = "etc";
        e.mode = 0755;
        tar.addDirectory(e);
        e.name = "bin/sh";
        tar.addSymlink(e, "busybox");
        std::string t = out.str();
        CPPUNIT_ASSERT_EQUAL(std::string("etc/"), std::string(t.c_str()));
        CPPUNIT_ASSERT_EQUAL('5', t[156]);
        CPPUNIT_ASSERT_EQUAL('2', t[512 + 156]);
        CPPUNIT_ASSERT_EQUAL(std::string("busybox"), std::string(t.c_str() + 512 + 157));
    }

    void testShortStreamIsAnError()
    {
        std::ostringstream out;
        TarWriter tar(out);
        std::istringstream in("abc");
        TarWriter::Entry e;
        e.name = "f";
        CPPUNIT_ASSERT_THROW(tar.addFile(e, 10, in), Poco::ReadFileException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TarWriterTest);
