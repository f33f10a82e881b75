// What a build sends of its context to its mirror: only what BuildKit's file sync would see as
// changed, and the removals that make the mirror the context again.

#include "buildrun/ContextDiff.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::buildrun;

namespace
{

builder::Mirror::Entry held(char type, const std::string& path, std::int64_t mtime = 100,
                            const std::string& link = "")
{
    builder::Mirror::Entry e;
    e.type = type;
    e.path = path;
    e.mode = type == 'd' ? 0755 : 0644;
    e.size = type == 'f' ? 3 : 0;
    e.mtime = mtime;
    e.mtimeNsec = 5;
    e.link = link;
    return e;
}

ContextTar::Item item(char type, const std::string& rel, std::int64_t mtime = 100,
                      const std::string& link = "")
{
    ContextTar::Item c;
    c.type = type;
    c.rel = rel;
    c.mode = type == 'd' ? 0755 : 0644;
    c.size = type == 'f' ? 3 : 0;
    c.mtime = mtime;
    c.mtimeNsec = 5;
    c.link = link;
    return c;
}

std::vector<std::string> split(const std::string& removals)
{
    std::vector<std::string> out;
    std::string::size_type at = 0, end;
    while ((end = removals.find('\0', at)) != std::string::npos)
    {
        out.push_back(removals.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// A hasher that must not be asked: stat tells these entries apart.
std::string unasked(const ContextTar::Item& c)
{
    CPPUNIT_FAIL("asked for the digest of " + c.rel);
    return "";
}

} // namespace

class ContextDiffTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContextDiffTest);
    CPPUNIT_TEST(testOnlyWhatChangedGoes);
    CPPUNIT_TEST(testWholeSecondTimesCompareContent);
    CPPUNIT_TEST(testNothingHeldSendsEverything);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOnlyWhatChangedGoes()
    {
        const std::vector<builder::Mirror::Entry> mirror = {
            held('f', "a"),   held('d', "d"),           held('f', "d/x"),
            held('f', "d/y"), held('l', "l", 100, "a"), held('f', "k"),
            held('d', "e"),   held('f', "e/1"),         held('f', "a-b")};
        std::vector<ContextTar::Item> context = {item('f', "a"),        // as held
                                                 item('f', "a-b", 100), // as held
                                                 item('d', "d"), // a directory: always (its times)
                                                 item('f', "d/x", 101),      // a new mtime
                                                 item('l', "l", 100, "d/x"), // another target
                                                 item('d', "k"),   // a file that became a directory
                                                 item('f', "k/z"), //   and what is in it
                                                 item('f', "n")};  // new
        const ContextDiff d = ContextDiff::of(mirror, context, unasked);
        const std::vector<bool> want = {false, false, true, true, true, true, true, true};
        CPPUNIT_ASSERT(want == d.send);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), d.files); // d/x, l, k/z, n
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(9), d.bytes);
        // d/y and e went (e with what is in it: once), k was a file.
        const std::vector<std::string> gone = {"d/y", "e", "k"};
        CPPUNIT_ASSERT(gone == split(d.removals));
        // A nanosecond tells versions apart; so do size and mode.
        context = {item('f', "a")};
        context[0].mtimeNsec = 1;
        CPPUNIT_ASSERT(ContextDiff::of({held('f', "a")}, context, unasked).send[0]);
        context[0].mtimeNsec = 5;
        context[0].mode = 0755;
        CPPUNIT_ASSERT(ContextDiff::of({held('f', "a")}, context, unasked).send[0]);
    }

    void testWholeSecondTimesCompareContent()
    {
        // Files unpacked from an archive, or checked out with set times: size and mtime equal,
        // the bytes maybe not. The digest decides, and only for such files.
        std::vector<builder::Mirror::Entry> mirror = {held('f', "same"), held('f', "other"),
                                                      held('f', "unhashed"), held('f', "fine")};
        std::vector<ContextTar::Item> context = {item('f', "same"), item('f', "other"),
                                                 item('f', "unhashed"), item('f', "fine")};
        for (std::size_t i = 0; i < 3; ++i)
            mirror[i].mtimeNsec = context[i].mtimeNsec = 0;
        mirror[0].hash = "h-same";
        mirror[1].hash = "h-before";
        std::vector<std::string> asked;
        const ContextDiff d = ContextDiff::of(mirror, context,
                                              [&](const ContextTar::Item& c)
                                              {
                                                  asked.push_back(c.rel);
                                                  return c.rel == "same" ? std::string("h-same")
                                                                         : std::string("h-now");
                                              });
        CPPUNIT_ASSERT(d.send == std::vector<bool>({false, true, true, false}));
        // "unhashed": the mirror could not read it, so it is sent; "fine" has a fraction of a
        // second, so its digest is never asked.
        CPPUNIT_ASSERT(asked == std::vector<std::string>({"same", "other", "unhashed"}));
        // The mirror's manifest once changed: the context's entries, with those digests.
        const auto after = builder::Mirror::parse(d.manifest);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), after.size());
        const std::vector<std::string> hashes = {after[0].hash, after[1].hash, after[2].hash,
                                                 after[3].hash};
        CPPUNIT_ASSERT((hashes == std::vector<std::string>{"h-same", "h-now", "h-now", ""}));
        CPPUNIT_ASSERT_EQUAL(std::string("fine"), after[3].path);
        CPPUNIT_ASSERT_EQUAL(5u, after[3].mtimeNsec);
    }

    void testNothingHeldSendsEverything()
    {
        const ContextDiff d = ContextDiff::of({}, {item('d', "x"), item('f', "x/y")}, unasked);
        CPPUNIT_ASSERT(d.send == std::vector<bool>({true, true}));
        CPPUNIT_ASSERT(d.removals.empty());
        // Its manifest reads back as the entries, each field kept.
        const auto after = builder::Mirror::parse(d.manifest);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), after.size());
        CPPUNIT_ASSERT_EQUAL('d', after[0].type);
        CPPUNIT_ASSERT_EQUAL(0755u, after[0].mode);
        CPPUNIT_ASSERT_EQUAL(std::string("x/y"), after[1].path);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), after[1].size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(100), after[1].mtime);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContextDiffTest);
