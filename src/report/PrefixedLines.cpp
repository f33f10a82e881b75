// This file implements the line-prefixing stream: bytes gathered into lines, each written
// whole, with its prefix, under the target's lock.

#include "report/PrefixedLines.h"

namespace hoist::report
{

PrefixedLines::Buffer::Buffer(std::ostream& target, std::string prefix,
                              std::shared_ptr<std::mutex> lock)
    : _target(target), _prefix(std::move(prefix)), _lock(std::move(lock))
{
}

void PrefixedLines::Buffer::flushLine()
{
    if (_line.empty())
        return;
    std::lock_guard<std::mutex> guard(*_lock);
    _target << _prefix << _line;
    if (_line.back() != '\n')
        _target << '\n';
    _target.flush();
    _line.clear();
}

PrefixedLines::Buffer::int_type PrefixedLines::Buffer::overflow(int_type ch)
{
    if (ch == traits_type::eof())
        return traits_type::not_eof(ch);
    _line += static_cast<char>(ch);
    if (ch == '\n')
        flushLine();
    return ch;
}

std::streamsize PrefixedLines::Buffer::xsputn(const char* s, std::streamsize n)
{
    for (std::streamsize i = 0; i < n; ++i)
        overflow(traits_type::to_int_type(s[i]));
    return n;
}

PrefixedLines::PrefixedLines(std::ostream& target, std::string prefix,
                             std::shared_ptr<std::mutex> lock)
    : std::ostream(nullptr), _buffer(target, std::move(prefix), std::move(lock))
{
    rdbuf(&_buffer);
}

PrefixedLines::~PrefixedLines()
{
    _buffer.flushLine();
}

} // namespace hoist::report
