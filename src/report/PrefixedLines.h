#pragma once

#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace hoist::report
{

/// An output stream that writes each whole line to another stream with a prefix ("[amd] "),
/// under a lock that streams of the same target share, so lines of work running at once (a
/// multi-node build's nodes) never interleave within a line.
class PrefixedLines : public std::ostream
{
public:
    /// Lines go to target with prefix; lock is shared by every stream writing to target.
    PrefixedLines(std::ostream& target, std::string prefix, std::shared_ptr<std::mutex> lock);

    /// Writes what is left of the last line.
    ~PrefixedLines() override;

private:
    class Buffer : public std::streambuf
    {
    public:
        Buffer(std::ostream& target, std::string prefix, std::shared_ptr<std::mutex> lock);
        void flushLine();

    protected:
        int_type overflow(int_type ch) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;

    private:
        std::ostream& _target;
        std::string _prefix;
        std::shared_ptr<std::mutex> _lock;
        std::string _line;
    };
    Buffer _buffer;
};

} // namespace hoist::report
