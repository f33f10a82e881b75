// This file implements the stream buffer that fences each line GitHub's runner could read as a
// workflow command between stop-commands markers, while hoist's own commands pass as written.

#include "report/CommandFence.h"

#include "base/Strings.h"

namespace hoist::report
{

CommandFence::CommandFence(std::ostream& stream) : _stream(stream), _target(stream.rdbuf())
{
    _stream.flush();
    _stream.rdbuf(this);
}

CommandFence::~CommandFence()
{
    if (!_pending.empty())
        writeLine(_pending, false);
    _target->pubsync();
    _stream.rdbuf(_target);
}

bool CommandFence::risky(const std::string& line)
{
    // The runner trims leading white space (Unicode's too) before looking for "::", and finds
    // the old "##[" form anywhere in a line: any "::" is treated as a command's start.
    return line.find("::") != std::string::npos || line.find("##[") != std::string::npos;
}

void CommandFence::raw(const std::string& text)
{
    _target->sputn(text.data(), static_cast<std::streamsize>(text.size()));
}

void CommandFence::writeLine(const std::string& line, bool newline)
{
    if (!_stoppedBy.empty() || !risky(line))
    {
        raw(newline ? line + "\n" : line);
        return;
    }
    const std::string token = "hoist-" + base::randomHex(16);
    raw("::stop-commands::" + token + "\n" + line + "\n::" + token + "::\n");
}

int CommandFence::overflow(int c)
{
    if (c == traits_type::eof())
        return traits_type::not_eof(c);
    const char ch = static_cast<char>(c);
    xsputn(&ch, 1);
    return c;
}

std::streamsize CommandFence::xsputn(const char* s, std::streamsize n)
{
    _pending.append(s, static_cast<std::size_t>(n));
    std::string::size_type start = 0, nl;
    while ((nl = _pending.find('\n', start)) != std::string::npos)
    {
        writeLine(_pending.substr(start, nl - start), true);
        start = nl + 1;
    }
    _pending.erase(0, start);
    return n;
}

int CommandFence::sync()
{
    // An unfinished line stays until its end: it might still become a command.
    return _target->pubsync();
}

void CommandFence::command(std::ostream& out, const std::string& line)
{
    auto* fence = dynamic_cast<CommandFence*>(out.rdbuf());
    if (!fence)
    {
        out << line << "\n" << std::flush;
        return;
    }
    if (!fence->_pending.empty())
    {
        fence->writeLine(fence->_pending, true);
        fence->_pending.clear();
    }
    if (base::startsWith(line, "::stop-commands::"))
        fence->_stoppedBy = line.substr(17);
    else if (!fence->_stoppedBy.empty() && line == "::" + fence->_stoppedBy + "::")
        fence->_stoppedBy.clear();
    fence->raw(line + "\n");
    fence->_target->pubsync();
}

} // namespace hoist::report
