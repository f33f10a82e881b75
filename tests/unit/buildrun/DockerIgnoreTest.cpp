#include "buildrun/DockerIgnore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::buildrun;

class DockerIgnoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DockerIgnoreTest);
    CPPUNIT_TEST(testTable);
    CPPUNIT_TEST(testReading);
    CPPUNIT_TEST(testClean);
    CPPUNIT_TEST(testBadPatterns);
    CPPUNIT_TEST(testReinclusionNeedsAWalk);
    CPPUNIT_TEST_SUITE_END();

public:
    DockerIgnore make(const std::string& text)
    {
        hoist::base::Problems problems;
        DockerIgnore d = DockerIgnore::parse(text, ".dockerignore", problems);
        CPPUNIT_ASSERT(problems.empty());
        return d;
    }

    void check(const std::string& patterns, const std::string& path, bool want)
    {
        bool got = make(patterns).excluded(path);
        if (got != want)
            CPPUNIT_FAIL("patterns [" + patterns + "] on " + path + ": want " +
                         (want ? "excluded" : "kept"));
    }

    void testTable()
    {
        // Root-anchored: foo is not **/foo.
        check("foo", "foo", true);
        check("foo", "foo/bar.txt", true); // a parent matches
        check("foo", "a/foo", false);
        check("**/foo", "a/b/foo", true);
        check("**/foo", "foo", true);
        check("*.md", "README.md", true);
        check("*.md", "docs/x.md", false);
        check("**/*.md", "docs/x.md", true);
        check("docs/**", "docs", false);
        check("docs/**", "docs/a/b", true);
        check("**", "anything/at/all", true);
        check("a/**/b", "a/b", true);
        check("a/**/b", "a/x/y/b", true);
        check("?.txt", "a.txt", true);
        check("?.txt", "ab.txt", false);
        check("[a-c].txt", "b.txt", true);
        check("[^a-c].txt", "d.txt", true);
        check("[!a-c].txt", "d.txt", false); // '!' is a literal in moby's (regexp) classes
        check("file.(x)", "file.(x)", true);
        check("a+b", "a+b", true);
        check("\\*lit", "*lit", true);
        check("\\*lit", "xlit", false);
        // Last match wins; exceptions re-include.
        check("*.log\n!keep.log", "keep.log", false);
        check("*.log\n!keep.log", "drop.log", true);
        check("*.log\n!keep.log\nkeep.log", "keep.log", true);
        check("build\n!build/out", "build/out/x", false);
        check("build\n!build/out", "build/tmp", true);
        // Trailing slash means nothing; a leading slash is dropped.
        check("foo/", "foo", true);
        check("/foo", "foo/x", true);
        check("./a/../b", "b", true);
        // Kinds as patternmatcher tells them: "**" first with no wildcard after is a suffix
        // (any path ending in the rest), "**" last with none before a prefix.
        check("**.md", "docs/x.md", true);
        check("**.md", "README.md", true);
        check("**barfoo", "xbarfoo", true);
        check("**barfoo", "a/xbarfoo", true);
        check("**/foo", "barfoo", false); // the suffix keeps its slash
        check("**/foo", "a/foo/b", true);
        check("foo**", "foobar/x", true);
        check("foo**", "fo", false);
        check("**/*.md", "x.md", true); // a wildcard after makes it a regexp
        // Empty path segments are cleaned away, as filepath.Clean does.
        check("docs//y.txt", "docs/y.txt", true);
        check("//a", "a/b", true);
        check("a//**//*.md", "a/x/y.md", true);
        check("a//**//*.md", "b/x/y.md", false);
        // '^' is not escaped: inside a regexp it anchors, so the pattern matches nothing.
        check("*^x", "a^x", false);
        check("a^x", "a^x", true); // an exact pattern compares the text
    }

    void testReading()
    {
        DockerIgnore d = make("\xEF\xBB\xBF# comment\n #notcomment\n\n  spaced  \n!  kept\n");
        CPPUNIT_ASSERT(d.excluded("#notcomment"));
        CPPUNIT_ASSERT(d.excluded("spaced"));
        CPPUNIT_ASSERT(!d.excluded("# comment"));
        CPPUNIT_ASSERT(!make("").excluded("x"));
        CPPUNIT_ASSERT(make("").empty());
    }

    void testClean()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("b"), DockerIgnore::clean("./a/../b/"));
        CPPUNIT_ASSERT_EQUAL(std::string("."), DockerIgnore::clean("./"));
        CPPUNIT_ASSERT_EQUAL(std::string("../x"), DockerIgnore::clean("../x"));
        CPPUNIT_ASSERT_EQUAL(std::string("/a"), DockerIgnore::clean("/../a"));
    }

    void testBadPatterns()
    {
        hoist::base::Problems problems;
        DockerIgnore::parse("ok\n!\n[abc\n", ".dockerignore", problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), problems.size());
        CPPUNIT_ASSERT_EQUAL(std::string(".dockerignore:2: illegal exclusion pattern \"!\""),
                             problems[0].message());
        CPPUNIT_ASSERT(problems[1].message().find(".dockerignore:3:") == 0);
    }

    void testReinclusionNeedsAWalk()
    {
        CPPUNIT_ASSERT(make("build\n!build/out").mayReinclude("build"));
        CPPUNIT_ASSERT(!make("build\n!other").mayReinclude("build"));
        CPPUNIT_ASSERT(make("build\n!**/*.keep").mayReinclude("build"));
        CPPUNIT_ASSERT(!make("build").mayReinclude("build"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerIgnoreTest);
