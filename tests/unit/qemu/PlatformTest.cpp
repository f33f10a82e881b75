#include "qemu/Platform.h"
#include "qemu/Emulation.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using hoist::qemu::Emulation;
using hoist::qemu::Platform;

class PlatformTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PlatformTest);
    CPPUNIT_TEST(testNormalizesAsContainerd);
    CPPUNIT_TEST(testRefusesWhatNoWorkerBuilds);
    CPPUNIT_TEST(testListsRefuseEmptyEntriesAndDropDuplicates);
    CPPUNIT_TEST_SUITE_END();

public:
    void testNormalizesAsContainerd()
    {
        const std::pair<std::string, std::string> cases[] = {
            {"linux/amd64", "linux/amd64"},
            {"linux/x86_64", "linux/amd64"},
            {"amd64", "linux/amd64"},
            {"linux/amd64/v1", "linux/amd64"},
            {"linux/amd64/v3", "linux/amd64/v3"},
            {"Linux/ARM64", "linux/arm64"},
            {"linux/aarch64", "linux/arm64"},
            {"linux/arm64/v8", "linux/arm64"},
            {"linux/arm64/v9.2", "linux/arm64/v9.2"},
            {"linux/arm", "linux/arm/v7"},
            {"linux/arm/6", "linux/arm/v6"},
            {"linux/armhf", "linux/arm/v7"},
            {"linux/i386", "linux/386"},
            {" linux/riscv64 ", "linux/riscv64"},
            {"linux/s390x", "linux/s390x"}};
        for (const auto& [text, want] : cases)
        {
            Platform p;
            std::string problem;
            CPPUNIT_ASSERT_MESSAGE(text + ": " + problem, Platform::parse(text, p, problem));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, want, p.str());
        }
        Platform local;
        std::string problem;
        CPPUNIT_ASSERT(Platform::parse("local", local, problem));
        CPPUNIT_ASSERT_EQUAL(std::string("linux"), local.os);
    }

    void testRefusesWhatNoWorkerBuilds()
    {
        const std::pair<std::string, std::string> cases[] = {
            {"windows/amd64", "linux only"},
            {"darwin/arm64", "linux only"},
            {"linux/arm64/v99", "variant v99 of arm64 does not exist"},
            {"linux/amd64/v5", "variant v5 of amd64"},
            {"linux/riscv64/v2", "riscv64 has no variants"},
            {"linux/amd64/v2/extra", "is not a platform"},
            {"linux/", "is not a platform"},
            {"/amd64", "is not a platform"},
            {"", "is not a platform"},
            {"linux/z80", "no architecture"}};
        for (const auto& [text, says] : cases)
        {
            Platform p;
            std::string problem;
            CPPUNIT_ASSERT_MESSAGE(text, !Platform::parse(text, p, problem));
            CPPUNIT_ASSERT_MESSAGE(text + " -> " + problem,
                                   problem.find(says) != std::string::npos);
        }
    }

    void testListsRefuseEmptyEntriesAndDropDuplicates()
    {
        hoist::base::Problems problems;
        auto got = Emulation::platforms({"linux/amd64,linux/arm64", "linux/x86_64"}, "--platform",
                                        problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), got.size());
        CPPUNIT_ASSERT_EQUAL(std::string("linux/arm64"), got[1]);
        Emulation::platforms({"linux/amd64,,", ","}, "--platform", problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), problems.size());
        CPPUNIT_ASSERT(problems[0].message().find("--platform \"\" is not a platform") == 0);
        CPPUNIT_ASSERT(problems[0].message().find("(in \"linux/amd64,,\")") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PlatformTest);
