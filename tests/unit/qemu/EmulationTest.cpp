#include "qemu/Emulation.h"
#include "fakes/TempDir.h"
#include "qemu/HostInstaller.h"
#include "qemu/ImageInstaller.h"

#include "base/Error.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;
using namespace hoist::qemu;
using hoist::test::TempDir;

class EmulationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EmulationTest);
    CPPUNIT_TEST(testQemuNames);
    CPPUNIT_TEST(testPlanSeparatesNativeReadyMissing);
    CPPUNIT_TEST(testRegistrationWithoutFIsMissing);
    CPPUNIT_TEST(testHostRegistrationLine);
    CPPUNIT_TEST(testHostRegistrationKeepsDebiansWrapper);
    CPPUNIT_TEST(testHostInstallWritesRegister);
    CPPUNIT_TEST(testHostInstallNamesWhatIsMissing);
    CPPUNIT_TEST(testImageOutputFailures);
    CPPUNIT_TEST(testEveryPlatformHasAnEmulator);
    CPPUNIT_TEST(testHostHasOnlyWithBinaryAndEntry);
    CPPUNIT_TEST(testHostUninstallRemovesEachEntry);
    CPPUNIT_TEST_SUITE_END();

public:
    BinfmtRegistry registry(TempDir& d, const std::string& name, const std::string& flags)
    {
        d.write("status", "enabled\n");
        d.write(name, "enabled\ninterpreter /usr/bin/x\nflags: " + flags + "\n");
        return BinfmtRegistry::read(d.path());
    }

    void testQemuNames()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("aarch64"), Emulation::qemuArch("linux/arm64"));
        CPPUNIT_ASSERT_EQUAL(std::string("arm"), Emulation::qemuArch("linux/arm/v7"));
        CPPUNIT_ASSERT_EQUAL(std::string("x86_64"), Emulation::qemuArch("linux/amd64/v3"));
        CPPUNIT_ASSERT_EQUAL(std::string("mips64el"), Emulation::qemuArch("linux/mips64le"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), Emulation::qemuArch("linux/vax"));
    }

    void testPlanSeparatesNativeReadyMissing()
    {
        TempDir d;
        BinfmtRegistry r = registry(d, "qemu-aarch64", "F");
        EmulationPlan p = Emulation::plan({"linux/amd64", "linux/386", "linux/arm64",
                                           "linux/riscv64", "linux/arm/v7", "linux/vax"},
                                          "amd64", r);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.native.size());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/arm64"), p.ready.at(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.missing.size());
        CPPUNIT_ASSERT_EQUAL(std::string("riscv64"), p.missing[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("arm"), p.missing[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("linux/vax"), p.unknown.at(0));
        // On an arm64 engine, arm/v7 is native and amd64 needs an emulator.
        EmulationPlan q =
            Emulation::plan({"linux/arm/v7", "linux/amd64"}, "arm64", BinfmtRegistry());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/arm/v7"), q.native.at(0));
        CPPUNIT_ASSERT_EQUAL(std::string("x86_64"), q.missing.at(0));
    }

    void testRegistrationWithoutFIsMissing()
    {
        TempDir d;
        BinfmtRegistry r = registry(d, "qemu-aarch64", "OP");
        CPPUNIT_ASSERT_EQUAL(std::string("aarch64"),
                             Emulation::plan({"linux/arm64"}, "amd64", r).missing.at(0));
    }

    void testHostRegistrationKeepsDebiansWrapper()
    {
        // Debian's -binfmt-P wrapper keeps argv[0] for busybox's applets: its line is kept,
        // F added.
        TempDir conf, bin, libexec;
        libexec.write("s390x-binfmt-P", "");
        conf.write("qemu-s390x.conf",
                   ":qemu-s390x:M::\\x7f:\\xff:" + libexec.path() + "/s390x-binfmt-P:OP\n");
        bin.write("qemu-s390x-static", "");
        HostInstaller h({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"},
                        "/nonexistent", conf.path(), bin.path());
        CPPUNIT_ASSERT_EQUAL(":qemu-s390x:M::\\x7f:\\xff:" + libexec.path() + "/s390x-binfmt-P:OPF",
                             h.registration("s390x"));
    }

    void testHostRegistrationLine()
    {
        TempDir conf, bin;
        conf.write("qemu-ppc64le.conf",
                   ":qemu-ppc64le:M::\\x7f\\x45\\x4c\\x46:\\xff\\xff\\xff\\xff:"
                   "/nonexistent/qemu-binfmt/ppc64le-binfmt-P:OPF\n"); // no wrapper here
        bin.write("qemu-ppc64le-static", "");
        HostInstaller h({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"},
                        "/nonexistent", conf.path(), bin.path());
        CPPUNIT_ASSERT_EQUAL(":qemu-ppc64le:M::\\x7f\\x45\\x4c\\x46:\\xff\\xff\\xff\\xff:" +
                                 bin.path() + "/qemu-ppc64le-static:F",
                             h.registration("ppc64le"));
    }

    void testHostInstallWritesRegister()
    {
        TempDir binfmt, conf, bin;
        binfmt.write("register", "");
        conf.write("qemu-s390x.conf", ":qemu-s390x:M::\\x7f:\\xff:/x:OPF\n");
        bin.write("qemu-s390x-static", "");
        HostInstaller({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"}, binfmt.path(),
                      conf.path(), bin.path())
            .install({"s390x"});
        Poco::FileInputStream in(binfmt.path() + "/register");
        std::string written;
        Poco::StreamCopier::copyToString(in, written);
        CPPUNIT_ASSERT_EQUAL(":qemu-s390x:M::\\x7f:\\xff:" + bin.path() + "/qemu-s390x-static:F",
                             written);
    }

    void testHostInstallNamesWhatIsMissing()
    {
        TempDir binfmt, conf, bin;
        binfmt.write("register", "");
        try
        {
            HostInstaller({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"},
                          binfmt.path(), conf.path(), bin.path())
                .install({"riscv64"});
            CPPUNIT_FAIL("expected an UnavailableException");
        }
        catch (const base::UnavailableException& e)
        {
            CPPUNIT_ASSERT(e.message().find("qemu-riscv64-static does not exist") !=
                           std::string::npos);
            CPPUNIT_ASSERT(e.message().find("apt-get install qemu-user-static") !=
                           std::string::npos);
        }
    }

    void testImageOutputFailures()
    {
        std::string out =
            "installing: arm64 OK\n"
            "installing: riscv64 cannot register \"/usr/bin/qemu-riscv64\" to "
            "/proc/sys/fs/binfmt_misc/register: write /proc/sys/fs/binfmt_misc/register: "
            "no such file or directory\n"
            "{\n  \"supported\": [\"linux/amd64\"]\n}\n";
        auto failed = ImageInstaller::failures(out);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed.size());
        CPPUNIT_ASSERT(failed[0].find("riscv64 cannot register") == 0);
        CPPUNIT_ASSERT(ImageInstaller::failures("installing: arm64 OK\n").empty());
    }

    void testEveryPlatformHasAnEmulator()
    {
        // setup-qemu-action's "all": binfmt's list, each one QEMU runs; on amd64, amd64 and
        // 386 are native and the rest need emulators (arm/v7 and v6 share one).
        const auto& every = Emulation::every();
        CPPUNIT_ASSERT_EQUAL(std::size_t(11), every.size());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/amd64"), every.front());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/arm/v6"), every.back());
        for (const auto& p : every)
            CPPUNIT_ASSERT_MESSAGE(p, !Emulation::qemuArch(p).empty());
        EmulationPlan plan = Emulation::plan(every, "amd64", BinfmtRegistry());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), plan.native.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), plan.missing.size());
        CPPUNIT_ASSERT(plan.unknown.empty());
    }

    void testHostHasOnlyWithBinaryAndEntry()
    {
        TempDir binfmt, conf, bin;
        conf.write("qemu-s390x.conf", ":qemu-s390x:M::\\x7f:\\xff:/x:OPF\n");
        bin.write("qemu-s390x-static", "");
        bin.write("qemu-ppc64le-static", "");
        HostInstaller h({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"},
                        binfmt.path(), conf.path(), bin.path());
        CPPUNIT_ASSERT(h.has("s390x"));
        CPPUNIT_ASSERT(!h.has("ppc64le")); // no binfmt.d entry
        CPPUNIT_ASSERT(!h.has("riscv64"));
    }

    void testHostUninstallRemovesEachEntry()
    {
        // The kernel removes an entry when "-1" is written to it; here the files keep it.
        TempDir binfmt;
        binfmt.write("qemu-aarch64", "enabled\n");
        binfmt.write("qemu-riscv64", "enabled\n");
        binfmt.write("python3", "enabled\n");
        HostInstaller({"--qemu image", "--qemu host", "--qemu-image", "--qemu=off"}, binfmt.path())
            .uninstall({"qemu-aarch64", "qemu-riscv64"});
        for (const char* name : {"qemu-aarch64", "qemu-riscv64", "python3"})
        {
            Poco::FileInputStream in(binfmt.path() + "/" + name);
            std::string text;
            Poco::StreamCopier::copyToString(in, text);
            CPPUNIT_ASSERT_EQUAL(std::string(name) == "python3" ? std::string("enabled\n")
                                                                : std::string("-1abled\n"),
                                 text);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmulationTest);
