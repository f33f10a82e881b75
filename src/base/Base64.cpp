// This file implements standard base64 on strings, for the formats of Docker, buildx and
// BuildKit that carry bytes in JSON.

#include "base/Base64.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <sstream>

namespace hoist::base
{

std::string toBase64(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << bytes;
    enc.close();
    return out.str();
}

std::string fromBase64(const std::string& text)
{
    // Padding restored (some docker configs write "auth" without it), then a character at a
    // time: what decoded before damage is kept.
    std::string padded;
    for (char c : text)
    {
        if (c != '\n' && c != '\r' && c != ' ')
            padded += c;
    }
    if (padded.size() % 4 > 1)
        padded.append(4 - padded.size() % 4, '=');
    std::istringstream in(padded);
    Poco::Base64Decoder dec(in);
    std::string out;
    char c;
    while (dec.get(c))
        out += c;
    return out;
}

} // namespace hoist::base
