#include "base/BytePipe.h"

#include <Poco/PipeStream.h>

namespace hoist::base
{

BytePipe::BytePipe() : _in(new Poco::PipeInputStream(_pipe)) {}

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

std::istream& BytePipe::reader()
{
    return *_in;
}

} // namespace hoist::base
