// Lines of work running at once, each labelled and written whole.

#include "report/PrefixedLines.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>
#include <thread>

using namespace hoist::report;

class PrefixedLinesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PrefixedLinesTest);
    CPPUNIT_TEST(testEachLineWholeWithItsPrefix);
    CPPUNIT_TEST(testThreadsNeverSplitALine);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEachLineWholeWithItsPrefix()
    {
        std::ostringstream target;
        auto lock = std::make_shared<std::mutex>();
        {
            PrefixedLines a(target, "[a] ", lock);
            PrefixedLines b(target, "[b] ", lock);
            a << "one ";
            b << "two\n";
            a << "half\nthree";
        } // the unfinished line is written when the stream goes
        CPPUNIT_ASSERT_EQUAL(std::string("[b] two\n[a] one half\n[a] three\n"), target.str());
    }

    void testThreadsNeverSplitALine()
    {
        std::ostringstream target;
        auto lock = std::make_shared<std::mutex>();
        auto write = [&](const std::string& name)
        {
            PrefixedLines out(target, "[" + name + "] ", lock);
            for (int i = 0; i < 200; ++i)
                out << name << ' ' << i << ' ' << std::string(50, name[0]) << '\n';
        };
        std::thread a(write, "a"), b(write, "b");
        a.join();
        b.join();
        std::istringstream lines(target.str());
        std::string line;
        int count = 0;
        while (std::getline(lines, line))
        {
            ++count;
            const char n = line[1];
            CPPUNIT_ASSERT_MESSAGE(line, line.rfind(std::string("[") + n + "] " + n + " ", 0) == 0);
            CPPUNIT_ASSERT_MESSAGE(line, line.substr(line.size() - 50) == std::string(50, n));
        }
        CPPUNIT_ASSERT_EQUAL(400, count);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PrefixedLinesTest);
