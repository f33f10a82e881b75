// A snapshot saved to and fetched from a directory store (an OCI image layout): the round trip,
// chunks, the tag written last, and damage found before anything is restored.

#include "state/Snapshots.h"

#include "base/Zstd.h"
#include "fakes/TempDir.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using namespace hoist;

namespace
{

std::unique_ptr<state::Store> layout(const std::string& dir)
{
    state::Location l;
    l.kind = state::Location::Kind::Local;
    l.dir = dir;
    l.text = "type=local,dest=" + dir;
    return state::Store::open(
        l, [](const std::string&) { return engine::Credentials(); }, registry::RegistryHosts());
}

// Bytes that compress poorly, so that a small chunk size makes several chunks.
std::string noise(std::size_t n)
{
    std::string s;
    unsigned x = 12345;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<char>((x = x * 1103515245 + 12345) >> 16);
    return s;
}

// A tar's bytes as save wants them: data, then the two zero blocks that end an archive.
std::string tarOf(const std::string& data)
{
    return data + std::string(1024, '\0');
}

state::SnapshotInfo info()
{
    state::SnapshotInfo i;
    i.image = "sha256:abc";
    i.stateDir = "/var/lib/buildkit";
    i.arch = "amd64";
    i.created = "2026-12-02T00:00:00Z";
    i.run = "local:test";
    return i;
}

std::vector<std::string> blobs(const std::string& dir)
{
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(dir + "/blobs/sha256"), end; it != end; ++it)
        names.push_back(it.name());
    return names;
}

} // namespace

class SnapshotsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SnapshotsTest);
    CPPUNIT_TEST(testZstdRoundTrip);
    CPPUNIT_TEST(testSaveThenFetchInChunks);
    CPPUNIT_TEST(testNoSnapshotIsNothing);
    CPPUNIT_TEST(testDamagedChunkIsFound);
    CPPUNIT_TEST(testAFailedSaveLeavesTheSnapshot);
    CPPUNIT_TEST(testInfoMismatch);
    CPPUNIT_TEST_SUITE_END();

public:
    void testZstdRoundTrip()
    {
        const std::string data = noise(300000) + std::string(500000, 'x');
        std::ostringstream packed;
        base::ZstdOutputStream z(packed);
        z << data;
        z.close();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(data.size()), z.bytesIn());
        CPPUNIT_ASSERT(packed.str().size() < data.size());
        std::istringstream in(packed.str());
        base::ZstdInputStream u(in);
        std::string back;
        Poco::StreamCopier::copyToString(u, back);
        CPPUNIT_ASSERT(back == data);
        // Cut short: an error, not a shorter result.
        std::istringstream cut(packed.str().substr(0, packed.str().size() / 2));
        base::ZstdInputStream bad(cut);
        CPPUNIT_ASSERT_THROW(Poco::StreamCopier::copyToString(bad, back), Poco::Exception);
    }

    void testSaveThenFetchInChunks()
    {
        test::TempDir dir;
        const std::string data = tarOf(noise(200000));
        const state::Moved m = state::save(
            *layout(dir.path()), info(), "{\"dirs\":[],\"lost\":0}",
            [&](std::ostream& out) { out << data; }, 50000);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(data.size()), m.raw);
        // config, manifest, attributes and at least four chunks of 50000 bytes
        CPPUNIT_ASSERT(blobs(dir.path()).size() >= 7);
        auto f = state::Fetched::fetch(*layout(dir.path()));
        CPPUNIT_ASSERT(f);
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:abc"), f->info().image);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(data.size()), f->info().bytes);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"dirs\":[],\"lost\":0}"), f->attrs());
        std::ostringstream back;
        f->writeTar(back);
        CPPUNIT_ASSERT(back.str() == data);
        // A second save replaces the first and leaves none of its blobs behind.
        state::save(*layout(dir.path()), info(), "{\"dirs\":[],\"lost\":0}",
                    [&](std::ostream& out) { out << tarOf("small"); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), blobs(dir.path()).size());
    }

    void testNoSnapshotIsNothing()
    {
        test::TempDir dir;
        CPPUNIT_ASSERT(!state::Fetched::fetch(*layout(dir.path() + "/none")));
    }

    void testDamagedChunkIsFound()
    {
        test::TempDir dir;
        state::save(
            *layout(dir.path()), info(), "{\"dirs\":[],\"lost\":0}",
            [&](std::ostream& out) { out << tarOf(noise(100000)); }, 30000);
        // Flip a byte of the largest blob: a chunk.
        std::string largest;
        std::size_t size = 0;
        for (const auto& name : blobs(dir.path()))
        {
            const std::string p = dir.path() + "/blobs/sha256/" + name;
            if (Poco::File(p).getSize() > size)
                size = Poco::File(p).getSize(), largest = p;
        }
        std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        f.put('\x5a');
        f.close();
        CPPUNIT_ASSERT_THROW(state::Fetched::fetch(*layout(dir.path())), Poco::DataFormatException);
    }

    void testAFailedSaveLeavesTheSnapshot()
    {
        test::TempDir dir;
        state::save(*layout(dir.path()), info(), "{\"dirs\":[],\"lost\":0}",
                    [&](std::ostream& out) { out << tarOf("first"); });
        CPPUNIT_ASSERT_THROW(state::save(*layout(dir.path()), info(), "{}",
                                         [&](std::ostream& out)
                                         {
                                             out << "half";
                                             throw Poco::IOException("cut");
                                         }),
                             Poco::IOException);
        // A copy cut short: no end-of-archive blocks.
        CPPUNIT_ASSERT_THROW(state::save(*layout(dir.path()), info(), "{}",
                                         [&](std::ostream& out) { out << "cut short"; }),
                             Poco::DataFormatException);
        auto f = state::Fetched::fetch(*layout(dir.path()));
        std::ostringstream back;
        f->writeTar(back);
        CPPUNIT_ASSERT(back.str() == tarOf("first"));
        // A snapshot that does not fit is refused before its chunks are read.
        CPPUNIT_ASSERT_THROW(state::Fetched::fetch(*layout(dir.path()),
                                                   [](const state::SnapshotInfo&)
                                                   { return std::string("another image"); }),
                             Poco::DataFormatException);
    }

    void testInfoMismatch()
    {
        const state::SnapshotInfo i = state::SnapshotInfo::fromJson(info().toJson());
        CPPUNIT_ASSERT_EQUAL(std::string(), i.mismatch("sha256:abc", "/var/lib/buildkit", "amd64"));
        CPPUNIT_ASSERT(
            i.mismatch("sha256:def", "/var/lib/buildkit", "amd64").find("another BuildKit image") !=
            std::string::npos);
        CPPUNIT_ASSERT(
            !i.mismatch("sha256:abc", "/home/user/.local/share/buildkit", "amd64").empty());
        CPPUNIT_ASSERT(!i.mismatch("sha256:abc", "/var/lib/buildkit", "arm64").empty());
        CPPUNIT_ASSERT_THROW(state::SnapshotInfo::fromJson("{\"format\":1}"),
                             Poco::DataFormatException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SnapshotsTest);
