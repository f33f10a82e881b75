// This file implements the byte pipe between two threads: a kernel pipe read as a stream, and
// an unbuffered stream that writes straight into it.

#include "base/BytePipe.h"

#include <Poco/PipeStream.h>

namespace hoist::base
{

namespace
{

// Writes straight into the pipe, unbuffered: the pipe itself is the buffer.
class PipeWriterBuf : public std::streambuf
{
public:
    explicit PipeWriterBuf(BytePipe& pipe) : _pipe(pipe) {}

protected:
    int_type overflow(int_type c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        char ch = traits_type::to_char_type(c);
        _pipe.write(&ch, 1);
        return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override
    {
        _pipe.write(s, static_cast<std::size_t>(n));
        return n;
    }

private:
    BytePipe& _pipe;
};

class PipeWriter : public std::ostream
{
public:
    explicit PipeWriter(BytePipe& pipe) : std::ostream(nullptr), _buf(pipe) { rdbuf(&_buf); }

private:
    PipeWriterBuf _buf;
};

} // namespace

BytePipe::BytePipe() : _in(new Poco::PipeInputStream(_pipe)), _out(new PipeWriter(*this)) {}

BytePipe::~BytePipe()
{
    closeWrite();
}

void BytePipe::write(const char* data, std::size_t size)
{
    while (size > 0)
    {
        int n = _pipe.writeBytes(data, static_cast<int>(size));
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void BytePipe::closeWrite()
{
    if (_writeOpen)
    {
        _pipe.close(Poco::Pipe::CLOSE_WRITE);
        _writeOpen = false;
    }
}

void BytePipe::closeRead()
{
    if (_readOpen)
    {
        _pipe.close(Poco::Pipe::CLOSE_READ);
        _readOpen = false;
    }
}

std::istream& BytePipe::reader()
{
    return *_in;
}

std::ostream& BytePipe::writer()
{
    return *_out;
}

} // namespace hoist::base
