// The live panel's frame (what the terminal shows below the finished lines) and its drawing:
// timers, log tails, widths, control characters, the upload line, the cursor left below.

#include "report/LivePanel.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace hoist;

namespace
{

buildrun::StepEvent event(buildrun::StepEvent::Kind kind, int n, const std::string& name,
                          const std::string& text = "")
{
    buildrun::StepEvent e;
    e.kind = kind;
    e.step.number = n;
    e.step.name = name;
    e.step.seconds = 1.5;
    e.text = text;
    return e;
}

report::LivePanel::Screen screen()
{
    return {60, 20};
}

} // namespace

class LivePanelTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LivePanelTest);
    CPPUNIT_TEST(testRunningStepWithTimerAndLastLines);
    CPPUNIT_TEST(testLinesFitTheWidth);
    CPPUNIT_TEST(testStepOutputCannotMoveTheCursor);
    CPPUNIT_TEST(testUploadLine);
    CPPUNIT_TEST(testFinishedLinesStayAndTheLiveAreaGoes);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRunningStepWithTimerAndLastLines()
    {
        std::ostringstream out;
        report::LivePanel p(out, "hoist build", false, screen);
        p.setTarget("b", {"linux/amd64", "linux/arm64"});
        using K = buildrun::StepEvent::Kind;
        p.event(event(K::Started, 3, "[2/2] RUN make"));
        for (int i = 1; i <= 6; ++i)
            p.event(event(K::Log, 3, "", "line " + std::to_string(i)));
        Poco::Timestamp later;
        later += 2500000;
        const auto f = p.frame(later, 60);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), f.size()); // header, step, its last four lines
        CPPUNIT_ASSERT(f[0].find("[+] hoist build · builder b · linux/amd64, linux/arm64") == 0);
        CPPUNIT_ASSERT(f[1].find(" => #3 [2/2] RUN make") == 0);
        CPPUNIT_ASSERT(f[1].substr(f[1].size() - 4) == "2.5s");
        CPPUNIT_ASSERT_EQUAL(std::string("    line 3"), f[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("    line 6"), f[5]);
        p.event(event(K::Done, 3, "[2/2] RUN make"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.frame(later, 60).size());
    }

    void testLinesFitTheWidth()
    {
        std::ostringstream out;
        report::LivePanel p(out, "hoist build", false, screen);
        p.event(event(buildrun::StepEvent::Kind::Started, 1,
                      "[1/1] RUN " + std::string(200, 'x') + " é"));
        for (const auto& l : p.frame(Poco::Timestamp(), 40))
        {
            int cells = 0;
            for (unsigned char c : l)
                cells += (c & 0xC0) != 0x80;
            CPPUNIT_ASSERT_MESSAGE(l, cells <= 40);
        }
        // The timer stays at the right edge of a cut line.
        CPPUNIT_ASSERT(p.frame(Poco::Timestamp(), 40)[1].find("0.0s") == 36);
    }

    void testStepOutputCannotMoveTheCursor()
    {
        std::ostringstream out;
        report::LivePanel p(out, "hoist build", false, screen);
        using K = buildrun::StepEvent::Kind;
        p.event(event(K::Started, 2, "RUN x"));
        p.event(event(K::Log, 2, "", "a\033[2J\033[Hb\tc\rd"));
        const auto f = p.frame(Poco::Timestamp(), 60);
        CPPUNIT_ASSERT_EQUAL(std::string("    a[2J[Hb    cd"), f.back());
    }

    void testUploadLine()
    {
        std::ostringstream out;
        report::LivePanel p(out, "hoist build", false, screen);
        p.upload(3 * 1048576, 10 * 1048576, 12, false);
        const auto f = p.frame(Poco::Timestamp(), 100);
        CPPUNIT_ASSERT(f.back().find(" => uploading context: 12 files, 3.0 MiB of 10.0 MiB, ") ==
                       0);
        p.upload(10 * 1048576, 10 * 1048576, 12, true);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.frame(Poco::Timestamp(), 100).size());
    }

    void testFinishedLinesStayAndTheLiveAreaGoes()
    {
        std::ostringstream out;
        {
            report::LivePanel p(out, "hoist run", false, screen);
            p.start();
            p.phase("creating container c");
            p.event(event(buildrun::StepEvent::Kind::Cached, 1, "[1/2] FROM x"));
            p.line("hoist: warning: careful");
        }
        const std::string text = out.str();
        CPPUNIT_ASSERT(text.find(" => creating container c") != std::string::npos);
        CPPUNIT_ASSERT(text.find("#1 [1/2] FROM x") != std::string::npos);
        CPPUNIT_ASSERT(text.find("CACHED\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("hoist: warning: careful\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("\033[") != std::string::npos); // drawn in place
        // The last thing written takes the live area away: up to its first line, clear below.
        const std::size_t last = text.rfind("\033[");
        CPPUNIT_ASSERT_EQUAL(std::string("\033[J"), text.substr(last));
        CPPUNIT_ASSERT(text.find("\033[0m") == std::string::npos); // no colours asked
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LivePanelTest);
