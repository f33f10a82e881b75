// This file implements the tar reader that brings build results back from the builder.

#include "base/TarReader.h"

#include "base/Strings.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unistd.h>

namespace hoist::base
{

namespace
{

const std::size_t BLOCK = 512;

std::uint64_t octal(const char* field, std::size_t width)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width && field[i]; ++i)
    {
        if (field[i] >= '0' && field[i] <= '7')
            v = v * 8 + static_cast<std::uint64_t>(field[i] - '0');
    }
    return v;
}

// A stream of the next size bytes of in.
class LimitedBuf : public std::streambuf
{
public:
    LimitedBuf(std::istream& in, std::uint64_t size) : _in(in), _left(size) {}
    std::uint64_t left() const { return _left; }

protected:
    int_type underflow() override
    {
        if (_left == 0)
            return traits_type::eof();
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(_left, sizeof(_buf)));
        _in.read(_buf, static_cast<std::streamsize>(want));
        std::size_t got = static_cast<std::size_t>(_in.gcount());
        if (got == 0)
            return traits_type::eof();
        _left -= got;
        setg(_buf, _buf, _buf + got);
        return traits_type::to_int_type(_buf[0]);
    }

private:
    std::istream& _in;
    std::uint64_t _left;
    char _buf[64 * 1024];
};

std::map<std::string, std::string> paxRecords(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < text.size())
    {
        std::size_t sp = text.find(' ', pos);
        if (sp == std::string::npos)
            break;
        std::size_t len = std::stoul(text.substr(pos, sp - pos));
        std::string rec = text.substr(sp + 1, len - (sp - pos) - 2);
        auto eq = rec.find('=');
        if (eq != std::string::npos)
            out[rec.substr(0, eq)] = rec.substr(eq + 1);
        pos += len;
    }
    return out;
}

// Sets e's time from a PAX mtime record ("1700000000.5", "-1.25"); a malformed one is left out.
void paxTime(const std::string& text, TarReader::Entry& e)
{
    const bool negative = !text.empty() && text[0] == '-';
    const std::size_t dot = text.find('.');
    const std::string whole = text.substr(negative ? 1 : 0, dot - (negative ? 1 : 0));
    std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
    const auto digits = [](const std::string& s)
    { return s.find_first_not_of("0123456789") == std::string::npos; };
    if (whole.empty() || whole.size() > 18 || !digits(whole) || !digits(frac))
        return;
    frac = (frac + "000000000").substr(0, 9);
    std::int64_t seconds = std::stoll(whole);
    std::uint32_t nsec = static_cast<std::uint32_t>(std::stoul(frac));
    if (negative && nsec > 0)
    {
        seconds += 1;
        nsec = 1000000000U - nsec;
    }
    e.mtime = negative ? -seconds : seconds;
    e.mtimeNsec = nsec;
}

} // namespace

void TarReader::read(std::istream& in, const std::function<void(Entry&)>& onEntry)
{
    char h[BLOCK];
    std::map<std::string, std::string> pax;
    std::string longName, longLink;
    for (;;)
    {
        in.read(h, BLOCK);
        // A stream that ends before its end-of-archive blocks was cut off: a result read from
        // it must not pass for a whole one.
        if (in.gcount() < static_cast<std::streamsize>(BLOCK))
            throw Poco::DataFormatException("the tar stream ended before its end-of-archive "
                                            "blocks: it was cut off");
        bool zero = true;
        for (char c : h)
            zero = zero && c == 0;
        if (zero)
            return;
        Entry e;
        e.type = h[156] ? h[156] : '0';
        e.size = octal(h + 124, 12);
        e.mode = static_cast<unsigned>(octal(h + 100, 8));
        e.mtime = static_cast<std::int64_t>(octal(h + 136, 12));
        std::string name(h, strnlen(h, 100));
        std::string prefix(h + 345, strnlen(h + 345, 155));
        if (std::memcmp(h + 257, "ustar", 5) == 0 && !prefix.empty())
            name = prefix + "/" + name;
        e.name = name;
        e.link = std::string(h + 157, strnlen(h + 157, 100));

        const bool meta = e.type == 'x' || e.type == 'g' || e.type == 'L' || e.type == 'K';
        if (!meta && pax.count("size"))
            e.size = std::stoull(pax["size"]);
        LimitedBuf buf(in, e.size);
        std::istream data(&buf);
        if (meta)
        {
            std::string text;
            Poco::StreamCopier::copyToString(data, text);
            if (e.type == 'x')
                pax = paxRecords(text);
            else if (e.type == 'L')
                longName = text.c_str();
            else if (e.type == 'K')
                longLink = text.c_str();
        }
        else
        {
            if (!longName.empty())
                e.name = longName;
            if (!longLink.empty())
                e.link = longLink;
            if (pax.count("path"))
                e.name = pax["path"];
            if (pax.count("linkpath"))
                e.link = pax["linkpath"];
            if (pax.count("mtime"))
                paxTime(pax["mtime"], e);
            pax.clear();
            longName.clear();
            longLink.clear();
            e.data = &data;
            onEntry(e);
        }
        // Skip what the callback left, then the padding.
        data.ignore(std::numeric_limits<std::streamsize>::max());
        if (buf.left() > 0)
            throw Poco::DataFormatException("the tar stream was cut off in " + e.name);
        std::size_t pad = static_cast<std::size_t>((BLOCK - e.size % BLOCK) % BLOCK);
        if (pad)
            in.ignore(static_cast<std::streamsize>(pad));
    }
}

std::string TarReader::firstFile(std::istream& in)
{
    std::string content;
    bool found = false;
    read(in,
         [&](Entry& e)
         {
             if (found || (e.type != '0' && e.type != '7'))
                 return;
             Poco::StreamCopier::copyToString(*e.data, content);
             found = true;
         });
    return content;
}

} // namespace hoist::base
