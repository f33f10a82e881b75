#include "engine/SecurityMode.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace hoist::engine;

class SecurityModeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SecurityModeTest);
    CPPUNIT_TEST(testPrivilegedIsOnlyTheFlag);
    CPPUNIT_TEST(testCapabilitiesFallback);
    CPPUNIT_TEST(testRootless);
    CPPUNIT_TEST(testRecognisesTheCapabilityRefusal);
    CPPUNIT_TEST_SUITE_END();

public:
    std::string json(SecurityMode mode)
    {
        Poco::JSON::Object host(Poco::JSON_PRESERVE_KEY_ORDER);
        applySecurityMode(mode, host);
        std::ostringstream out;
        host.stringify(out);
        return out.str();
    }

    void testPrivilegedIsOnlyTheFlag()
    {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"Privileged":true})"), json(SecurityMode::Privileged));
    }

    void testCapabilitiesFallback()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"Privileged":false,"SecurityOpt":["seccomp=unconfined","apparmor=unconfined"],)"
                R"("MaskedPaths":[],"ReadonlyPaths":[],"CapAdd":["ALL"],"CapDrop":["SYS_RESOURCE"],)"
                R"("Mounts":[{"Type":"bind","Source":"/sys/fs/cgroup","Target":"/sys/fs/cgroup","ReadOnly":false}]})"),
            json(SecurityMode::Capabilities));
    }

    void testRootless()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                R"({"Privileged":false,"SecurityOpt":["seccomp=unconfined","apparmor=unconfined"],)"
                R"("MaskedPaths":[],"ReadonlyPaths":[]})"),
            json(SecurityMode::Rootless));
    }

    void testRecognisesTheCapabilityRefusal()
    {
        CPPUNIT_ASSERT(
            isCapabilityRefusal("OCI runtime create failed: runc create failed: unable to "
                                "start container process: unable to apply caps: operation "
                                "not permitted: unknown"));
        CPPUNIT_ASSERT(!isCapabilityRefusal("No such image: x"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecurityModeTest);
