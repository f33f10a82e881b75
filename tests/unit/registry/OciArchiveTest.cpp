// Joining OCI archives of one build's platforms: archives made here with the project's tar
// writer, as BuildKit lays one out.

#include "registry/OciArchive.h"
#include "fakes/TempDir.h"

#include "base/Digest.h"
#include "base/TarReader.h"
#include "base/TarWriter.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>

using namespace hoist;

namespace
{

base::TarWriter::Entry entry(const std::string& name)
{
    base::TarWriter::Entry e;
    e.name = name;
    return e;
}

std::string blob(const std::string& content)
{
    return "blobs/sha256/" + base::sha256Hex(content);
}

// An archive whose index.json names manifest (a single platform, as a node's part is), with a
// layer shared by every part.
void part(const std::string& path, const std::string& arch)
{
    const std::string layer = "shared layer";
    const std::string manifest = R"({"schemaVersion":2,"layers":[{"digest":"sha256:)" +
                                 base::sha256Hex(layer) + R"("}],"arch":")" + arch + "\"}";
    const std::string index =
        R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
        base::sha256Hex(manifest) + R"(","size":)" + std::to_string(manifest.size()) +
        R"(,"annotations":{"org.opencontainers.image.created":"2023-11-14T22:13:20Z"}}]})";
    Poco::FileOutputStream out(path);
    base::TarWriter w(out);
    w.addFile(entry("oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
    w.addFile(entry(blob(layer)), layer);
    w.addFile(entry(blob(manifest)), manifest);
    w.addFile(entry("index.json"), index);
    w.finish();
}

} // namespace

class OciArchiveTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OciArchiveTest);
    CPPUNIT_TEST(testPartsJoinedUnderOneIndex);
    CPPUNIT_TEST(testPartsJoinedIntoADirectory);
    CPPUNIT_TEST(testNotAnArchiveIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPartsJoinedUnderOneIndex()
    {
        test::TempDir d;
        part(d.path() + "/a.tar", "amd64");
        part(d.path() + "/b.tar", "arm64");
        registry::OciArchive::join(
            {{d.path() + "/a.tar", {"linux/amd64"}}, {d.path() + "/b.tar", {"linux/arm/v7"}}},
            d.path() + "/out.tar");
        std::map<std::string, std::string> files;
        std::map<std::string, int> seen;
        Poco::FileInputStream in(d.path() + "/out.tar");
        base::TarReader::read(in,
                              [&](base::TarReader::Entry& e)
                              {
                                  std::string content(e.size, '\0');
                                  e.data->read(content.data(),
                                               static_cast<std::streamsize>(e.size));
                                  files[e.name] = content;
                                  ++seen[e.name];
                              });
        CPPUNIT_ASSERT(files.count("oci-layout"));
        CPPUNIT_ASSERT_EQUAL(1, seen[blob("shared layer")]); // each blob once
        auto top =
            Poco::JSON::Parser().parse(files["index.json"]).extract<Poco::JSON::Object::Ptr>();
        auto desc = top->getArray("manifests")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T22:13:20Z"),
                             desc->getObject("annotations")
                                 ->getValue<std::string>("org.opencontainers.image.created"));
        const std::string indexBlob =
            "blobs/sha256/" + desc->getValue<std::string>("digest").substr(7);
        CPPUNIT_ASSERT(files.count(indexBlob));
        CPPUNIT_ASSERT_EQUAL(base::sha256Hex(files[indexBlob]), indexBlob.substr(13));
        auto index =
            Poco::JSON::Parser().parse(files[indexBlob]).extract<Poco::JSON::Object::Ptr>();
        auto list = index->getArray("manifests");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list->size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("amd64"),
            list->getObject(0)->getObject("platform")->getValue<std::string>("architecture"));
        auto arm = list->getObject(1)->getObject("platform");
        CPPUNIT_ASSERT_EQUAL(std::string("arm"), arm->getValue<std::string>("architecture"));
        CPPUNIT_ASSERT_EQUAL(std::string("v7"), arm->getValue<std::string>("variant"));
        for (unsigned i = 0; i < 2; ++i)
            CPPUNIT_ASSERT(files.count(
                "blobs/sha256/" + list->getObject(i)->getValue<std::string>("digest").substr(7)));
    }

    void testPartsJoinedIntoADirectory()
    {
        test::TempDir d;
        part(d.path() + "/a.tar", "amd64");
        part(d.path() + "/b.tar", "arm64");
        const std::string parts[] = {d.path() + "/a.tar", d.path() + "/b.tar"};
        registry::OciArchive::join({{parts[0], {"linux/amd64"}}, {parts[1], {"linux/arm64"}}},
                                   d.path() + "/out.tar");
        registry::OciArchive::join({{parts[0], {"linux/amd64"}}, {parts[1], {"linux/arm64"}}},
                                   d.path() + "/layout", registry::OciArchive::Layout::Directory);
        // The directory holds exactly the archive's files, byte for byte.
        std::size_t files = 0;
        Poco::FileInputStream in(d.path() + "/out.tar");
        base::TarReader::read(in,
                              [&](base::TarReader::Entry& e)
                              {
                                  std::string content(e.size, '\0');
                                  e.data->read(content.data(),
                                               static_cast<std::streamsize>(e.size));
                                  std::string copy;
                                  Poco::FileInputStream file(d.path() + "/layout/" + e.name);
                                  Poco::StreamCopier::copyToString(file, copy);
                                  CPPUNIT_ASSERT_EQUAL(content, copy);
                                  ++files;
                              });
        CPPUNIT_ASSERT(files >= 5);
    }

    void testNotAnArchiveIsRefused()
    {
        test::TempDir d;
        d.write("x.tar", std::string(1024, '\0')); // an empty tar: no index.json
        try
        {
            registry::OciArchive::join({{d.path() + "/x.tar", {"linux/amd64"}}},
                                       d.path() + "/o.tar");
            CPPUNIT_FAIL("joined an archive without index.json");
        }
        catch (const Poco::DataFormatException& e)
        {
            CPPUNIT_ASSERT(e.message().find("is not an OCI archive") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OciArchiveTest);
