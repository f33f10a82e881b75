// This file implements zstd streams over libzstd's streaming API: a streambuf that feeds
// ZSTD_compressStream2 as its buffer fills, and one that refills from ZSTD_decompressStream.

#include "base/Zstd.h"

#include <Poco/Exception.h>

#include <streambuf>
#include <vector>
#include <zstd.h>

namespace hoist::base
{

namespace
{

void check(size_t code, const char* what)
{
    if (ZSTD_isError(code))
        throw Poco::DataFormatException(std::string(what) + ": " + ZSTD_getErrorName(code));
}

} // namespace

class ZstdOutputStream::Buf : public std::streambuf
{
public:
    Buf(std::ostream& sink, int level, int threads)
        : _sink(sink),
          _ctx(ZSTD_createCCtx()),
          _in(ZSTD_CStreamInSize()),
          _out(ZSTD_CStreamOutSize())
    {
        ZSTD_CCtx_setParameter(_ctx, ZSTD_c_compressionLevel, level);
        if (threads > 0)
            ZSTD_CCtx_setParameter(_ctx, ZSTD_c_nbWorkers, threads);
        setp(_in.data(), _in.data() + _in.size());
    }
    ~Buf() override { ZSTD_freeCCtx(_ctx); }

    void finish()
    {
        if (_closed)
            return;
        _closed = true;
        drain(ZSTD_e_end);
        _sink.flush();
        if (!_sink)
            throw Poco::IOException("cannot write the compressed stream");
    }

    std::uint64_t bytesIn() const { return _total + (pptr() - pbase()); }

protected:
    int_type overflow(int_type c) override
    {
        if (_closed)
            return traits_type::eof();
        drain(ZSTD_e_continue);
        if (!traits_type::eq_int_type(c, traits_type::eof()))
        {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }

    int sync() override
    {
        if (!_closed)
            drain(ZSTD_e_flush);
        return 0;
    }

private:
    // Compresses what the put area holds; with ZSTD_e_end, until the frame is complete.
    void drain(ZSTD_EndDirective mode)
    {
        ZSTD_inBuffer in{_in.data(), static_cast<size_t>(pptr() - pbase()), 0};
        _total += in.size;
        for (;;)
        {
            ZSTD_outBuffer out{_out.data(), _out.size(), 0};
            const size_t left = ZSTD_compressStream2(_ctx, &out, &in, mode);
            check(left, "zstd compression");
            _sink.write(_out.data(), static_cast<std::streamsize>(out.pos));
            if (!_sink)
                throw Poco::IOException("cannot write the compressed stream");
            const bool done = mode == ZSTD_e_continue ? in.pos == in.size : left == 0;
            if (done)
                break;
        }
        setp(_in.data(), _in.data() + _in.size());
    }

    std::ostream& _sink;
    ZSTD_CCtx* _ctx;
    std::vector<char> _in;
    std::vector<char> _out;
    std::uint64_t _total = 0;
    bool _closed = false;
};

ZstdOutputStream::ZstdOutputStream(std::ostream& sink, int level, int threads)
    : std::ostream(nullptr), _buf(new Buf(sink, level, threads))
{
    rdbuf(_buf.get());
    exceptions(std::ios::badbit);
}

ZstdOutputStream::~ZstdOutputStream()
{
    exceptions(std::ios::goodbit);
    rdbuf(nullptr);
}

void ZstdOutputStream::close()
{
    flush();
    _buf->finish();
}

std::uint64_t ZstdOutputStream::bytesIn() const
{
    return _buf->bytesIn();
}

class ZstdInputStream::Buf : public std::streambuf
{
public:
    explicit Buf(std::istream& source)
        : _source(source),
          _ctx(ZSTD_createDCtx()),
          _in(ZSTD_DStreamInSize()),
          _out(ZSTD_DStreamOutSize())
    {
        setg(_out.data(), _out.data(), _out.data());
    }
    ~Buf() override { ZSTD_freeDCtx(_ctx); }

protected:
    int_type underflow() override
    {
        while (gptr() == egptr())
        {
            if (_inBuf.pos == _inBuf.size && !refill())
            {
                if (_midFrame)
                    throw Poco::DataFormatException("the compressed stream ends in a frame");
                return traits_type::eof();
            }
            ZSTD_outBuffer out{_out.data(), _out.size(), 0};
            const size_t hint = ZSTD_decompressStream(_ctx, &out, &_inBuf);
            check(hint, "zstd data");
            _midFrame = hint != 0;
            setg(_out.data(), _out.data(), _out.data() + out.pos);
        }
        return traits_type::to_int_type(*gptr());
    }

private:
    bool refill()
    {
        _source.read(_in.data(), static_cast<std::streamsize>(_in.size()));
        const auto got = static_cast<size_t>(_source.gcount());
        _inBuf = {_in.data(), got, 0};
        return got > 0;
    }

    std::istream& _source;
    ZSTD_DCtx* _ctx;
    std::vector<char> _in;
    std::vector<char> _out;
    ZSTD_inBuffer _inBuf{nullptr, 0, 0};
    bool _midFrame = false;
};

ZstdInputStream::ZstdInputStream(std::istream& source)
    : std::istream(nullptr), _buf(new Buf(source))
{
    rdbuf(_buf.get());
    exceptions(std::ios::badbit);
}

ZstdInputStream::~ZstdInputStream()
{
    exceptions(std::ios::goodbit);
    rdbuf(nullptr);
}

} // namespace hoist::base
