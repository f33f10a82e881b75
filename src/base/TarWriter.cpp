// This file implements the tar writer: 512-byte ustar headers, a PAX "x" header before any
// entry whose name, link, size or modification time does not fit ustar, data padded to 512
// bytes.

#include "base/TarWriter.h"

#include "base/Cancellation.h"

#include <Poco/Exception.h>

#include <cstdio>
#include <cstring>
#include <vector>

namespace hoist::base
{

namespace
{

const std::size_t BLOCK = 512;

void octal(char* field, std::size_t width, std::uint64_t value)
{
    // width includes the terminating NUL.
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
}

// A PAX record is "<len> <key>=<value>\n" where len counts the whole record, itself included.
std::string paxRecord(const std::string& key, const std::string& value)
{
    std::size_t body = key.size() + value.size() + 3; // ' ', '=', '\n'
    std::size_t len = body + 1;
    while (std::to_string(len).size() + body != len)
        ++len;
    return std::to_string(len) + " " + key + "=" + value + "\n";
}

// PAX's time of seconds + nsec/1e9 (nsec > 0): a decimal without trailing zeros, as Go's tar
// writes it; before the epoch the fraction counts towards zero ("-1.5").
std::string paxTime(std::int64_t seconds, std::uint32_t nsec)
{
    std::string sign;
    if (seconds < 0)
    {
        sign = "-";
        seconds = -(seconds + 1);
        nsec = 1000000000U - nsec;
    }
    char frac[16];
    std::snprintf(frac, sizeof(frac), "%09u", nsec);
    std::string digits(frac);
    digits.erase(digits.find_last_not_of('0') + 1);
    return sign + std::to_string(seconds) + "." + digits;
}

} // namespace

TarWriter::TarWriter(std::ostream& out) : _out(out) {}

void TarWriter::write(const char* data, std::size_t size)
{
    _out.write(data, static_cast<std::streamsize>(size));
    if (!_out)
        throw Poco::WriteFileException("tar stream: write failed");
    _written += size;
}

void TarWriter::pad(std::uint64_t size)
{
    static const char zeros[BLOCK] = {};
    std::size_t rest = static_cast<std::size_t>(size % BLOCK);
    if (rest)
        write(zeros, BLOCK - rest);
}

void TarWriter::header(const Entry& entry, char type, std::uint64_t size, const std::string& link)
{
    Cancellation::check(); // many small files: between any two

    const bool longName = entry.name.size() > 100;
    const bool longLink = link.size() > 100;
    const bool bigSize = size >= (1ULL << 33);
    const bool subSecond = entry.mtimeNsec != 0;
    if (longName || longLink || bigSize || subSecond || !entry.xattrs.empty())
    {
        std::string pax;
        if (longName)
            pax += paxRecord("path", entry.name);
        if (longLink)
            pax += paxRecord("linkpath", link);
        if (bigSize)
            pax += paxRecord("size", std::to_string(size));
        if (subSecond)
            pax += paxRecord("mtime", paxTime(entry.mtime, entry.mtimeNsec % 1000000000U));
        for (const auto& [name, value] : entry.xattrs)
            pax += paxRecord("SCHILY.xattr." + name, value);
        Entry x;
        x.name = "PaxHeaders/" + entry.name.substr(0, 80);
        header(x, 'x', pax.size(), "");
        write(pax.data(), pax.size());
        pad(pax.size());
    }

    char h[BLOCK];
    std::memset(h, 0, sizeof(h));
    std::strncpy(h, entry.name.c_str(), 100);
    octal(h + 100, 8, entry.mode & 07777);
    octal(h + 108, 8, entry.uid);
    octal(h + 116, 8, entry.gid);
    octal(h + 124, 12, bigSize ? 0 : size);
    octal(h + 136, 12, static_cast<std::uint64_t>(entry.mtime < 0 ? 0 : entry.mtime));
    h[156] = type;
    std::strncpy(h + 157, link.c_str(), 100);
    std::memcpy(h + 257, "ustar", 6); // magic "ustar\0"
    std::memcpy(h + 263, "00", 2);    // version
    std::memset(h + 148, ' ', 8);     // checksum computed with spaces in its field
    unsigned sum = 0;
    for (unsigned char c : h)
        sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    write(h, sizeof(h));
}

void TarWriter::addFile(const Entry& entry, std::uint64_t size, std::istream& data)
{
    header(entry, '0', size, "");
    std::vector<char> buf(64 * 1024);
    std::uint64_t left = size;
    while (left > 0)
    {
        // A large upload ends on SIGINT as soon as the next chunk, not when it is complete.
        Cancellation::check();
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
        data.read(buf.data(), static_cast<std::streamsize>(want));
        std::size_t got = static_cast<std::size_t>(data.gcount());
        if (got == 0)
            throw Poco::ReadFileException("tar: " + entry.name + " ended before its size");
        write(buf.data(), got);
        left -= got;
    }
    pad(size);
}

void TarWriter::addFile(const Entry& entry, const std::string& content)
{
    header(entry, '0', content.size(), "");
    write(content.data(), content.size());
    pad(content.size());
}

void TarWriter::addDirectory(const Entry& entry)
{
    Entry dir = entry;
    if (dir.name.empty() || dir.name.back() != '/')
        dir.name += '/';
    header(dir, '5', 0, "");
}

void TarWriter::addSymlink(const Entry& entry, const std::string& target)
{
    header(entry, '2', 0, target);
}

void TarWriter::finish()
{
    static const char zeros[BLOCK * 2] = {};
    write(zeros, sizeof(zeros));
    _out.flush();
}

std::uint64_t TarWriter::bytesWritten() const
{
    return _written;
}

} // namespace hoist::base
