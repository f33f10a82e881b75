#include "base/Cancellation.h"

#include "base/Error.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace hoist;

class CancellationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CancellationTest);
    CPPUNIT_TEST(testAGroupCancelsItsMembersOnly);
    CPPUNIT_TEST(testCleanupScopeDoesNotThrow);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAGroupCancelsItsMembersOnly()
    {
        base::Cancellation::Group group;
        bool memberSaw = false;
        bool memberThrew = false;
        std::thread member(
            [&]
            {
                base::Cancellation::Group::Member m(group);
                while (!base::Cancellation::requested())
                    std::this_thread::yield();
                memberSaw = true;
                try
                {
                    base::Cancellation::check();
                }
                catch (const base::CancelledException&)
                {
                    memberThrew = true;
                }
            });
        CPPUNIT_ASSERT(!base::Cancellation::requested());
        group.raise();
        member.join();
        CPPUNIT_ASSERT(memberSaw && memberThrew);
        // This thread is no member: neither the process nor it is cancelled.
        CPPUNIT_ASSERT(!base::Cancellation::requested());
        CPPUNIT_ASSERT_EQUAL(0, base::Cancellation::signal());
        {
            base::Cancellation::Group::Member m(group);
            CPPUNIT_ASSERT(base::Cancellation::requested());
        }
        CPPUNIT_ASSERT(!base::Cancellation::requested()); // the member left the group
    }

    void testCleanupScopeDoesNotThrow()
    {
        base::Cancellation::Group group;
        group.raise();
        base::Cancellation::Group::Member m(group);
        base::Cancellation::Cleanup cleanup;
        base::Cancellation::check(); // no throw: cleanup must still exec and wait
        CPPUNIT_ASSERT(base::Cancellation::requested());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CancellationTest);
