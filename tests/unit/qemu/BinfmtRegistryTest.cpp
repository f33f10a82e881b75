#include "qemu/BinfmtRegistry.h"
#include "fakes/TempDir.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::qemu;
using hoist::test::TempDir;

class BinfmtRegistryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BinfmtRegistryTest);
    CPPUNIT_TEST(testParsesKernelEntry);
    CPPUNIT_TEST(testReadsADirectory);
    CPPUNIT_TEST(testNotMounted);
    CPPUNIT_TEST(testParsesAListing);
    CPPUNIT_TEST_SUITE_END();

public:
    void testParsesKernelEntry()
    {
        BinfmtEntry e = BinfmtRegistry::parseEntry(
            "qemu-aarch64", "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: OCF\n"
                            "offset 0\nmagic 7f454c460201010000000000000000000200b700\n");
        CPPUNIT_ASSERT(e.enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("/usr/bin/qemu-aarch64-static"), e.interpreter);
        CPPUNIT_ASSERT_EQUAL(std::string("OCF"), e.flags);
        CPPUNIT_ASSERT(e.fixBinary());
        CPPUNIT_ASSERT(!BinfmtRegistry::parseEntry("x", "disabled\nflags: OP\n").fixBinary());
    }

    void testReadsADirectory()
    {
        TempDir d;
        d.write("status", "enabled\n");
        d.write("register", "");
        d.write("qemu-riscv64", "enabled\ninterpreter /usr/bin/qemu-riscv64-static\nflags: F\n");
        d.write("qemu-aarch64", "disabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\n");
        d.write("python3.11", "enabled\ninterpreter /usr/bin/python3.11\nflags: \n");
        BinfmtRegistry r = BinfmtRegistry::read(d.path());
        CPPUNIT_ASSERT(r.mounted() && r.enabled());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.entries().size());
        CPPUNIT_ASSERT_EQUAL(std::string("python3.11"), r.entries()[0].name);
        auto emus = r.emulators();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), emus.size());
        CPPUNIT_ASSERT_EQUAL(std::string("qemu-riscv64"), emus[0].name);
    }

    void testNotMounted()
    {
        TempDir d;
        BinfmtRegistry r = BinfmtRegistry::read(d.path());
        CPPUNIT_ASSERT(!r.mounted());
        CPPUNIT_ASSERT(r.entries().empty());
    }

    void testParsesAListing()
    {
        BinfmtRegistry r = BinfmtRegistry::parseListing(
            "== qemu-aarch64\nenabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
            "flags: POF\noffset 0\n== register\n== status\nenabled\n"
            "== qemu-arm\ndisabled\ninterpreter /usr/bin/qemu-arm\nflags: \n");
        CPPUNIT_ASSERT(r.mounted() && r.enabled());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.entries().size());
        CPPUNIT_ASSERT_EQUAL(std::string("qemu-aarch64"), r.entries()[0].name);
        CPPUNIT_ASSERT(r.entries()[0].fixBinary());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.emulators().size());
        // No status file: binfmt_misc was not mounted where the listing was made.
        CPPUNIT_ASSERT(!BinfmtRegistry::parseListing("").mounted());
        CPPUNIT_ASSERT(!BinfmtRegistry::parseListing("== qemu-arm\nenabled\n").mounted());
        CPPUNIT_ASSERT(BinfmtRegistry::parseListing("== qemu-arm\nenabled\n").entries().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BinfmtRegistryTest);
