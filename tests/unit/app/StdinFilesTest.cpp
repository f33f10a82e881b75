// A context or Dockerfile given as "-" is read from stdin as buildx reads it: a tar (plain or
// gzip) is the context, anything else a Dockerfile with an empty context; the files live only
// as long as the command.

#include "app/StdinFiles.h"

#include "base/Error.h"
#include "base/TarWriter.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"

#include <Poco/DeflatingStream.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using namespace hoist;

namespace
{

cli::Options options(std::vector<std::string> args)
{
    base::Env none;
    return cli::Options::from(cli::OptionParser(cli::OptionTable::instance(), none).parse(args));
}

std::string tarOf(const std::string& name, const std::string& content)
{
    std::ostringstream out;
    base::TarWriter w(out);
    base::TarWriter::Entry e;
    e.name = name;
    e.mode = 0644;
    w.addFile(e, content);
    w.finish();
    return out.str();
}

std::string read(const std::string& path)
{
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

class StdinFilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StdinFilesTest);
    CPPUNIT_TEST(testTarIsTheContext);
    CPPUNIT_TEST(testGzipTarIsTheContext);
    CPPUNIT_TEST(testAnythingElseIsADockerfile);
    CPPUNIT_TEST(testDockerfileOnStdin);
    CPPUNIT_TEST(testStdinAskedTwiceIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTarIsTheContext()
    {
        std::istringstream in(tarOf("Dockerfile", "FROM scratch\n"));
        std::string dir;
        {
            app::StdinFiles files(options({"build", "-"}), in);
            dir = files.options().build.context.value;
            CPPUNIT_ASSERT_EQUAL(std::string("FROM scratch\n"), read(dir + "/Dockerfile"));
            CPPUNIT_ASSERT(!files.options().build.file.given());
        }
        CPPUNIT_ASSERT(!Poco::File(dir).exists()); // gone with the command
    }

    void testGzipTarIsTheContext()
    {
        std::ostringstream gz;
        {
            Poco::DeflatingOutputStream deflate(gz, Poco::DeflatingStreamBuf::STREAM_GZIP);
            deflate << tarOf("app.txt", "hello");
            deflate.close();
        }
        std::istringstream in(gz.str());
        app::StdinFiles files(options({"build", "-"}), in);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"),
                             read(files.options().build.context.value + "/app.txt"));
    }

    void testAnythingElseIsADockerfile()
    {
        std::istringstream in("FROM scratch\nCOPY --from=busybox /bin/true /\n");
        app::StdinFiles files(options({"build", "-"}), in);
        const cli::BuildOptions& b = files.options().build;
        CPPUNIT_ASSERT_EQUAL(std::string("FROM scratch\nCOPY --from=busybox /bin/true /\n"),
                             read(b.file.value));
        Poco::File context(b.context.value);
        std::vector<std::string> names;
        context.list(names);
        CPPUNIT_ASSERT(context.isDirectory() && names.empty()); // an empty context
    }

    void testDockerfileOnStdin()
    {
        std::istringstream in("FROM scratch\n");
        app::StdinFiles files(options({"build", "-f", "-", "/src"}), in);
        CPPUNIT_ASSERT_EQUAL(std::string("/src"), files.options().build.context.value);
        CPPUNIT_ASSERT_EQUAL(std::string("FROM scratch\n"), read(files.options().build.file.value));
    }

    void testStdinAskedTwiceIsRefused()
    {
        std::istringstream in("FROM scratch\n");
        CPPUNIT_ASSERT_THROW(app::StdinFiles(options({"build", "-f", "-", "-"}), in),
                             base::UsageException);
        // A Dockerfile on stdin as the context, and another named by -f: which one?
        std::istringstream again("FROM scratch\n");
        CPPUNIT_ASSERT_THROW(
            app::StdinFiles(options({"build", "-f", "/src/Dockerfile", "-"}), again),
            base::UsageException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StdinFilesTest);
