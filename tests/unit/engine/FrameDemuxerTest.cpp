#include "engine/FrameDemuxer.h"
#include "engine/EngineError.h"

#include "fakes/Frames.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist::engine;
using hoist::test::frame;

class FrameDemuxerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FrameDemuxerTest);
    CPPUNIT_TEST(testSeveralFramesInOneRead);
    CPPUNIT_TEST(testEveryByteSeparately);
    CPPUNIT_TEST(testLargeFrameSize);
    CPPUNIT_TEST(testEmptyFrame);
    CPPUNIT_TEST(testSystemErrorFrameThrows);
    CPPUNIT_TEST(testUnknownStreamThrows);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _out.clear();
        _err.clear();
    }

    FrameDemuxer make()
    {
        return FrameDemuxer([this](int s, const char* d, std::size_t n)
                            { (s == 2 ? _err : _out).append(d, n); });
    }

    void testSeveralFramesInOneRead()
    {
        FrameDemuxer d = make();
        std::string data = frame(1, "a") + frame(2, "bb") + frame(1, "ccc") + frame(0, "echo");
        d.feed(data.data(), data.size());
        CPPUNIT_ASSERT_EQUAL(std::string("acccecho"), _out);
        CPPUNIT_ASSERT_EQUAL(std::string("bb"), _err);
        CPPUNIT_ASSERT(d.atBoundary());
    }

    void testEveryByteSeparately()
    {
        FrameDemuxer d = make();
        std::string data = frame(1, "hello ") + frame(2, "warn") + frame(1, "world");
        for (char c : data)
        {
            d.feed(&c, 1);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("hello world"), _out);
        CPPUNIT_ASSERT_EQUAL(std::string("warn"), _err);
    }

    void testLargeFrameSize()
    {
        FrameDemuxer d = make();
        std::string big(70000, 'z'); // size needs the third header byte
        std::string data = frame(1, big);
        d.feed(data.data(), 1000);
        CPPUNIT_ASSERT(!d.atBoundary());
        d.feed(data.data() + 1000, data.size() - 1000);
        CPPUNIT_ASSERT_EQUAL(big, _out);
        CPPUNIT_ASSERT(d.atBoundary());
    }

    void testEmptyFrame()
    {
        FrameDemuxer d = make();
        std::string data = frame(1, "") + frame(1, "x");
        d.feed(data.data(), data.size());
        CPPUNIT_ASSERT_EQUAL(std::string("x"), _out);
    }

    void testSystemErrorFrameThrows()
    {
        FrameDemuxer d = make();
        std::string data = frame(1, "ok") + frame(3, "container stopped");
        try
        {
            d.feed(data.data(), data.size());
            CPPUNIT_FAIL("expected an EngineApiException");
        }
        catch (const EngineApiException& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("error from daemon in stream: container stopped"),
                                 e.engineMessage());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _out);
    }

    void testUnknownStreamThrows()
    {
        FrameDemuxer d = make();
        std::string data = frame(7, "x");
        CPPUNIT_ASSERT_THROW(d.feed(data.data(), data.size()), EngineApiException);
    }

private:
    std::string _out;
    std::string _err;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrameDemuxerTest);
