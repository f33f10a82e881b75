// The unit test runner: every test registered with CPPUNIT_TEST_SUITE_REGISTRATION runs;
// the last line is "unit: N passed, N failed" for tests/run to add up.
// Usage: unit-tests [NAME-SUBSTRING]

#include <cppunit/Exception.h>
#include <cppunit/SourceLine.h>
#include <cppunit/TestFailure.h>
#include <cppunit/TestListener.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>
#include <set>
#include <string>

namespace
{

class CountingListener : public CppUnit::TestListener
{
public:
    void startTest(CppUnit::Test*) override { _failedThis = false; }

    void addFailure(const CppUnit::TestFailure& failure) override
    {
        _failedThis = true;
        CppUnit::SourceLine where = failure.sourceLine();
        std::cerr << "FAIL: " << failure.failedTestName() << " (" << where.fileName() << ":"
                  << where.lineNumber() << ")\n"
                  << "  " << failure.thrownException()->what() << "\n";
    }

    void endTest(CppUnit::Test*) override { (_failedThis ? failed : passed)++; }

    int passed = 0;
    int failed = 0;

private:
    bool _failedThis = false;
};

void collect(CppUnit::Test* test, const std::string& filter, std::set<CppUnit::Test*>& out)
{
    if (test->getChildTestCount() == 0)
    {
        if (filter.empty() || test->getName().find(filter) != std::string::npos)
            out.insert(test);
        return;
    }
    for (int i = 0; i < test->getChildTestCount(); ++i)
        collect(test->getChildTestAt(i), filter, out);
}

} // namespace

int main(int argc, char** argv)
{
    std::string filter = argc > 1 ? argv[1] : "";
    CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
    std::set<CppUnit::Test*> tests;
    collect(all, filter, tests);

    CppUnit::TestResult result;
    CountingListener counter;
    result.addListener(&counter);
    for (CppUnit::Test* t : tests)
        t->run(&result);

    std::cout << "unit: " << counter.passed << " passed, " << counter.failed << " failed"
              << std::endl;
    delete all;
    return counter.failed == 0 && counter.passed > 0 ? 0 : 1;
}
